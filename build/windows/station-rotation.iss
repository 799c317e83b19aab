; Inno Setup script: wraps dist\station-rotation\ (built by installer.spec) into
; dist\station-rotation-VERSION-setup.exe. Build with:  iscc build\windows\station-rotation.iss
; Installs per machine into Program Files (District IT deploys it silently with
;   station-rotation-VERSION-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART).
; Teachers' data stays in %LOCALAPPDATA%\station-rotation and survives upgrades and uninstall.

#define AppName "Station Rotation"
#define AppExe "station-rotation.exe"
; The version resource installer.spec writes from station_rotation.__version__.
#define AppVersion GetVersionNumbersString("..\..\dist\station-rotation\station-rotation.exe")

[Setup]
AppId={{6F2B6C3E-6A51-4C1B-9A0E-5B1D3F7C2A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Station Rotation
DefaultDirName={autopf}\Station Rotation
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=station-rotation-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\station-rotation.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\station-rotation\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A one-folder bundle must not mix files from two versions.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
