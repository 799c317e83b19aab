/* The code screen: a teacher's pairing code (6 digits) or a class code (6 letters and
 * digits), typed or brought in the address's #pair= / #join= fragment by a QR code.
 * The kind of code is told by its shape, and the page says which it took it for. */
(function () {
  'use strict';

  const TEXT = {
    pageTitle: 'Join the class \u00b7 Station Rotation',
    skip: 'Skip to the code',
    brand: 'Station Rotation',
    brandSub: 'Companion',
    heading: 'Join the class',
    intro: 'Type the code your teacher shows, or scan the QR code.',
    codeLabel: 'Code',
    codeHint: '6 digits: the teacher\u2019s pairing code from the laptop. 6 letters and digits: the class code for students.',
    submit: 'Continue',
    privacy: 'Nothing is installed and nothing leaves the classroom: this page talks only to your teacher\u2019s laptop.',
    detectedTeacher: 'Teacher pairing code (6 digits)',
    detectedClass: 'Class code (for students)',
    detectedPartial: '{n} of 6 characters',
    connecting: 'Connecting\u2026',
    badShape: 'A code has 6 letters or digits. Check it and try again.',
    wrongPairing: 'That pairing code is not right. Check the code on the laptop screen and try again.',
    wrongClass: 'That class code is not right. Check the code your teacher shows and try again.',
    wrongSecret: 'This QR code does not work any more. Ask for a new one, or type the code.',
    tooMany: 'Too many wrong codes. Wait {s} seconds, then try again.',
    tooManyNow: 'Too many wrong codes. Wait a little, then try again.',
    noAnswer: 'The laptop did not answer. Check that this device is on the classroom Wi-Fi and that \u201cPhones & tablets\u201d is switched on.',
    serverError: 'Something went wrong on the laptop. Try again in a moment.',
    resumeTeacher: 'This phone is still connected as the teacher\u2019s remote.',
    resumeTeacherLink: 'Open the remote',
    resumeStudent: 'This device is still connected to your class.',
    resumeStudentLink: 'Open your page',
  };

  SR.applyText(TEXT);

  const form = document.getElementById('code-form');
  const input = document.getElementById('code');
  const detected = document.getElementById('detected');
  const errorBox = document.getElementById('error');
  const submit = document.getElementById('submit');
  const notice = document.getElementById('notice');
  let busy = false;
  let waitTimer = null;

  function normalise(value) {
    return String(value || '').replace(/[\s-]/g, '').toUpperCase();
  }

  /* 'teacher' for six digits, 'class' for six letters and digits, else null. */
  function kindOf(code) {
    if (/^[0-9]{6}$/.test(code)) {
      return 'teacher';
    }
    if (/^[A-Z0-9]{6}$/.test(code)) {
      return 'class';
    }
    return null;
  }

  function showError(words) {
    errorBox.textContent = words;
    errorBox.hidden = !words;
  }

  function showDetected() {
    const code = normalise(input.value);
    const kind = kindOf(code);
    if (kind === 'teacher') {
      detected.textContent = TEXT.detectedTeacher;
    } else if (kind === 'class') {
      detected.textContent = TEXT.detectedClass;
    } else if (code.length > 0 && code.length < 6) {
      detected.textContent = SR.fill(TEXT.detectedPartial, { n: code.length });
    } else {
      detected.textContent = '';
    }
  }

  function setBusy(isBusy) {
    busy = isBusy;
    submit.disabled = isBusy || waitTimer !== null;
    submit.textContent = isBusy ? TEXT.connecting : TEXT.submit;
  }

  /* After a 429, count the wait down on the button's error line; the button comes back
   * when the laptop said it may. */
  function waitBeforeRetry(seconds) {
    let left = seconds;
    if (waitTimer !== null) {
      clearInterval(waitTimer);
    }
    showError(SR.fill(TEXT.tooMany, { s: left }));
    waitTimer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(waitTimer);
        waitTimer = null;
        showError('');
        setBusy(false);
        return;
      }
      showError(SR.fill(TEXT.tooMany, { s: left }));
    }, 1000);
    setBusy(false);
  }

  function goOn(role) {
    location.replace(role === 'teacher' ? '/teacher' : '/student');
  }

  async function post(path, body, wrongWords) {
    setBusy(true);
    showError('');
    let answer = null;
    try {
      answer = await SR.api(path, body);
    } catch (e) {
      setBusy(false);
      showError(TEXT.noAnswer);
      return;
    }
    if (answer.ok && answer.data && answer.data.role) {
      goOn(answer.data.role);
      return;
    }
    setBusy(false);
    if (answer.status === 429) {
      const seconds = parseInt(answer.retryAfter, 10);
      if (seconds > 0) {
        waitBeforeRetry(seconds);
      } else {
        showError(TEXT.tooManyNow);
      }
    } else if (answer.status === 403 || answer.status === 404) {
      showError(wrongWords);
    } else if (answer.status === 400 || answer.status === 422) {
      showError(TEXT.badShape);
    } else {
      showError(SR.errorWords(answer) || TEXT.serverError);
    }
    input.focus();
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy || waitTimer !== null) {
      return;
    }
    const code = normalise(input.value);
    const kind = kindOf(code);
    if (!kind) {
      showError(TEXT.badShape);
      input.focus();
      return;
    }
    if (kind === 'teacher') {
      post('/api/pair', { code: code }, TEXT.wrongPairing);
    } else {
      post('/api/join', { code: code }, TEXT.wrongClass);
    }
  });

  input.addEventListener('input', function () {
    showDetected();
    if (waitTimer === null) {
      showError('');
    }
  });

  function showNotice() {
    let words = null;
    try {
      words = sessionStorage.getItem('sr_notice');
      sessionStorage.removeItem('sr_notice');
    } catch (e) {
      words = null;
    }
    if (words) {
      notice.textContent = words;
      notice.hidden = false;
    }
  }

  /* A device that still has a session (the teacher came back to this tab) gets a way
   * back to its page rather than a second pairing. */
  async function offerResume() {
    let answer = null;
    try {
      answer = await SR.getJSON('/api/view');
    } catch (e) {
      return;
    }
    if (!answer.ok || !answer.data) {
      return;
    }
    const role = answer.data.role;
    if (role !== 'teacher' && role !== 'student') {
      return;
    }
    document.getElementById('resume-words').textContent =
      (role === 'teacher' ? TEXT.resumeTeacher : TEXT.resumeStudent) + ' ';
    const link = document.getElementById('resume-link');
    link.textContent = role === 'teacher' ? TEXT.resumeTeacherLink : TEXT.resumeStudentLink;
    link.href = role === 'teacher' ? '/teacher' : '/student';
    document.getElementById('resume').hidden = false;
  }

  /* #pair=SECRET or #join=SECRET from a QR code: out of the address bar (and the
   * history) at once, then posted. */
  function takeFragment() {
    const match = /^#(pair|join)=(.+)$/.exec(location.hash || '');
    if (!match) {
      return false;
    }
    let secret = match[2];
    try {
      secret = decodeURIComponent(secret);
    } catch (e) {
      /* not percent-encoded: use it as it is */
    }
    history.replaceState(null, '', location.pathname + location.search);
    if (match[1] === 'pair') {
      post('/api/pair', { secret: secret }, TEXT.wrongSecret);
    } else {
      post('/api/join', { secret: secret }, TEXT.wrongSecret);
    }
    return true;
  }

  showNotice();
  window.addEventListener('hashchange', takeFragment);
  if (!takeFragment()) {
    offerResume();
    input.focus();
  }
})();
