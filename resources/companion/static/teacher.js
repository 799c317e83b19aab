/* The teacher's phone: a remote for the run and the quick-check pad for the group at the
 * teacher-led station. Renders each teacher view from /api/events; every tap is a
 * request with its own id through SR.send, which resends it until the laptop answers. */
(function () {
  'use strict';

  const TEXT = {
    pageTitle: 'Remote \u00b7 Station Rotation',
    skipPad: 'Skip to the quick check',
    brand: 'Station Rotation',
    brandSub: 'Remote',
    loading: 'Connecting to the laptop\u2026',
    untitled: 'Rotation',
    clockHeading: 'Timer',
    pause: 'Pause',
    resume: 'Resume',
    begin: 'Start round {round}',
    addMinute: '+1 min',
    back: 'Back',
    next: 'Next',
    blank: 'Blank projector',
    unblank: 'Show projector',
    openCheckin: 'Open check-in',
    closeCheckin: 'Close check-in',
    groupsHeading: 'Groups',
    colNow: 'Now',
    colNext: 'Next',
    noGroups: 'No groups in this rotation.',
    nothing: '\u2014',
    padHeading: 'Quick check',
    noPad: 'No group is at the teacher table right now.',
    targetLabel: 'Learning target',
    chooseTarget: 'Learning target (choose one)',
    absent: 'Absent',
    absentShort: 'A',
    undo: 'Undo',
    undone: 'Undone',
    note: 'Note',
    noteWaiting: 'Note \u2022',
    noteWaitingLabel: 'Note, typed, goes with the next tap',
    noteFor: 'Note for {name}',
    saveNote: 'Save note',
    noStudents: 'No students in this group.',
    devices: '{students} \u00b7 {teachers} connected',
    studentsOne: '1 student',
    studentsMany: '{n} students',
    teachersOne: '1 teacher phone',
    teachersMany: '{n} teacher phones',
    leave: 'Disconnect this phone',
    left: 'This phone is disconnected. Type a pairing code to connect again.',
    leaveFailed: 'The laptop did not answer, so this phone is still connected.',
  };

  SR.applyText(TEXT);
  SR.watchPending();

  const clock = new SR.Clock(document.getElementById('clock'), document.getElementById('live'));
  let view = null;

  // ------------------------------------------------------------------ remote

  const buttons = {
    pause: document.getElementById('btn-pause'),
    minute: document.getElementById('btn-minute'),
    back: document.getElementById('btn-back'),
    next: document.getElementById('btn-next'),
    blank: document.getElementById('btn-blank'),
    checkin: document.getElementById('btn-checkin'),
  };

  function setLabel(button, words) {
    button.querySelector('.btn-label').textContent = words;
  }

  /* What a tap on a control sends: decided from the view at the time of the tap. */
  function requestFor(name) {
    const paused = view && view.clock && view.clock.paused;
    const waiting = view && view.clock && view.clock.waiting;
    if (name === 'pause') {
      const command = waiting ? 'begin' : paused ? 'resume' : 'pause';
      return ['/api/command', { id: SR.newId(), command: command }];
    }
    if (name === 'minute') {
      return ['/api/command', { id: SR.newId(), command: 'add_minute' }];
    }
    if (name === 'back' || name === 'next') {
      return ['/api/command', { id: SR.newId(), command: name }];
    }
    if (name === 'blank') {
      return ['/api/command', { id: SR.newId(), command: view && view.blank ? 'unblank' : 'blank' }];
    }
    // The contract's /api/checkin has no id: "open" is a state, so a resend is harmless.
    return ['/api/checkin', { open: !(view && view.checkin_open) }];
  }

  const controlBusy = {};
  const savedTimers = {};

  function onControl(name) {
    const button = buttons[name];
    // A second tap on the same control while the first is unanswered is the same tap
    // (a double tap must not skip two rounds), except +1 min, which adds up.
    if (controlBusy[name] && name !== 'minute') {
      return;
    }
    const request = requestFor(name);
    controlBusy[name] = (controlBusy[name] || 0) + 1;
    const status = button.querySelector('.btn-status');
    clearTimeout(savedTimers[name]);
    SR.send(request[0], request[1], function (state, detail) {
      button.setAttribute('data-state', state);
      SR.showState(status, state, detail);
      if (state === 'saved' || state === 'refused') {
        controlBusy[name] -= 1;
        if (state === 'saved' && detail && detail.view) {
          render(detail.view);
        }
        savedTimers[name] = setTimeout(function () {
          if (!controlBusy[name]) {
            button.removeAttribute('data-state');
            status.textContent = '';
          }
        }, state === 'saved' ? 2500 : 6000);
      }
    });
  }

  Object.keys(buttons).forEach(function (name) {
    buttons[name].addEventListener('click', function () {
      onControl(name);
    });
  });

  function renderControls(v) {
    const c = v.clock || {};
    const live = c.phase === 'round' || c.phase === 'transition';
    if (c.waiting) {
      // The next round waits for her: the big button starts it.
      setLabel(buttons.pause, TEXT.begin.replace('{round}', String(c.round)));
    } else {
      setLabel(buttons.pause, c.paused ? TEXT.resume : TEXT.pause);
    }
    buttons.pause.disabled = !live;
    buttons.minute.disabled = !live || !!c.waiting;
    // No run (it ended, or none started): nothing to step through or check in on.
    buttons.back.disabled = !v.clock;
    buttons.next.disabled = !v.clock;
    buttons.checkin.disabled = !v.clock;
    setLabel(buttons.blank, v.blank ? TEXT.unblank : TEXT.blank);
    // The label says what a tap does; data-on only colours it (not aria-pressed, which
    // would say the same thing twice to a screen reader).
    buttons.blank.setAttribute('data-on', v.blank ? 'true' : 'false');
    setLabel(buttons.checkin, v.checkin_open ? TEXT.closeCheckin : TEXT.openCheckin);
    buttons.checkin.setAttribute('data-on', v.checkin_open ? 'true' : 'false');
  }

  // ------------------------------------------------------------------ groups

  function renderGroups(groups) {
    const box = document.getElementById('groups');
    SR.clear(box);
    const list = groups || [];
    document.getElementById('groups-empty').hidden = list.length > 0;
    box.hidden = list.length === 0;
    list.forEach(function (g) {
      box.appendChild(SR.el('li', { class: 'group-row' },
        SR.el('span', { class: 'group-name' }, SR.swatch(g.colour, false, g.symbol), SR.el('span', { text: g.name })),
        SR.el('span', { class: 'group-at' },
          SR.el('span', { class: 'group-at-label', text: TEXT.colNow }), ' ',
          SR.el('span', { text: g.now || TEXT.nothing })),
        SR.el('span', { class: 'group-at' },
          SR.el('span', { class: 'group-at-label', text: TEXT.colNext }), ' ',
          SR.el('span', { text: g.next || TEXT.nothing }))));
    });
  }

  function renderDevices(devices) {
    const box = document.getElementById('devices');
    if (!devices) {
      box.textContent = '';
      return;
    }
    const students = devices.students || 0;
    const teachers = devices.teachers || 0;
    box.textContent = SR.fill(TEXT.devices, {
      students: students === 1 ? TEXT.studentsOne : SR.fill(TEXT.studentsMany, { n: students }),
      teachers: teachers === 1 ? TEXT.teachersOne : SR.fill(TEXT.teachersMany, { n: teachers }),
    });
  }

  // ------------------------------------------------------------------ quick-check pad
  //
  // The pad is built once per group/target/scale and then updated in place, so a view
  // arriving while the teacher types a note keeps her text and her focus.

  let selectedTarget = null;
  let padSignature = null;
  const rows = {};          // student id -> {buttons, absent, undo, saveNote, note, status}
  const notes = {};         // student id -> the note being typed
  const openNotes = {};     // student id -> true while its note field is open
  const overrides = {};     // student|target -> {value, absent, acked}: a tap the view has not shown yet
  const undoStacks = {};    // student|target -> check ids this phone saved, newest last
  const rowStates = {};     // student id -> [state, words]
  const inFlight = {};      // student|target -> the value of an unanswered tap

  function keyOf(studentId, targetId) {
    return studentId + '|' + targetId;
  }

  function currentTarget(pad) {
    const targets = pad.targets || [];
    for (let i = 0; i < targets.length; i++) {
      if (targets[i].id === selectedTarget) {
        return targets[i];
      }
    }
    selectedTarget = targets.length ? targets[0].id : null;
    return targets.length ? targets[0] : null;
  }

  function signatureOf(pad, target) {
    return JSON.stringify([
      pad.station_id,
      (pad.targets || []).map(function (t) { return t.id; }),
      target ? target.id : null,
      target ? target.levels : null,
      (pad.students || []).map(function (s) { return [s.id, s.name]; }),
    ]);
  }

  function levelOf(student, targetId) {
    const override = overrides[keyOf(student.id, targetId)];
    if (override) {
      return override;
    }
    const levels = student.levels || {};
    return levels[targetId] || null;
  }

  function setRowState(studentId, state, words) {
    rowStates[studentId] = [state, words];
    const row = rows[studentId];
    if (row) {
      row.status.setAttribute('data-state', state);
      row.status.textContent = words;
    }
  }

  function rowCallback(studentId, words) {
    return function (state, detail) {
      setRowState(studentId, state, state === 'saved' && words ? words : SR.stateWords(state, detail));
    };
  }

  function tap(student, target, value, absent) {
    const key = keyOf(student.id, target.id);
    const tapped = absent ? 'absent' : String(value);
    if (inFlight[key] === tapped) {
      return; // the same tap again while the first is unanswered
    }
    inFlight[key] = tapped;
    const note = (notes[student.id] || '').trim();
    const id = SR.newId();
    overrides[key] = { value: absent ? null : value, absent: absent, acked: false };
    updateRows();
    const show = rowCallback(student.id);
    SR.send('/api/check', {
      id: id,
      student_id: student.id,
      target_id: target.id,
      score: absent ? null : value,
      absent: absent,
      note: note,
    }, function (state, detail) {
      if (state === 'saved') {
        if (inFlight[key] === tapped) {
          delete inFlight[key];
        }
        if (overrides[key]) {
          overrides[key].acked = true;
        }
        (undoStacks[key] = undoStacks[key] || []).push(detail && detail.id ? detail.id : id);
        const row = rows[student.id];
        if (note && row && row.note.value.trim() === note) {
          row.note.value = '';
          notes[student.id] = '';
          row.markNote();
        }
      } else if (state === 'refused') {
        if (inFlight[key] === tapped) {
          delete inFlight[key];
        }
        delete overrides[key];
      }
      show(state, detail);
      updateRows();
    });
  }

  function undo(student, target) {
    const key = keyOf(student.id, target.id);
    const stack = undoStacks[key];
    if (!stack || !stack.length) {
      return;
    }
    const checkId = stack.pop();
    delete overrides[key];
    updateRows();
    const show = rowCallback(student.id, TEXT.undone);
    SR.send('/api/undo', { id: SR.newId(), check_id: checkId }, function (state, detail) {
      show(state, detail);
      updateRows();
    });
  }

  function saveNote(student, target) {
    // The row was built from an older view: read the level from the newest one.
    const row = rows[student.id];
    const level = levelOf(row ? row.student : student, target.id);
    if (!level || (level.value === null && !level.absent)) {
      return;
    }
    tap(student, target, level.value, !!level.absent);
  }

  /* A scale's label often repeats its number ("3 Proficient"): the button shows the
   * number big already, so only the words go under it. */
  function levelWords(level) {
    const label = String(level.label || '');
    const value = String(level.value);
    if (label.slice(0, value.length) === value) {
      const rest = label.slice(value.length).replace(/^[\s.:)\u2013\u2014-]+/, '');
      if (rest && rest !== label.slice(value.length)) {
        return rest;
      }
    }
    return label;
  }

  function buildRow(student, target) {
    const nameId = 'name-' + student.id;
    const noteId = 'note-' + student.id;
    const levelButtons = (target.levels || []).map(function (level) {
      return SR.el('button', {
        class: 'btn level-btn',
        type: 'button',
        'aria-pressed': 'false',
        'data-value': level.value,
        onclick: function () { tap(student, target, level.value, false); },
      },
      SR.el('span', { class: 'level-value', text: String(level.value) }),
      SR.el('span', { class: 'level-label', text: levelWords(level) }));
    });
    const absentButton = SR.el('button', {
      class: 'btn absent-btn',
      type: 'button',
      'aria-pressed': 'false',
      onclick: function () { tap(student, target, null, true); },
    }, TEXT.absent);
    const note = SR.el('input', {
      id: noteId,
      type: 'text',
      maxlength: '500',
      autocomplete: 'off',
      placeholder: TEXT.note,
    });
    note.value = notes[student.id] || '';
    const panelId = 'note-panel-' + student.id;
    const noteToggle = SR.el('button', {
      class: 'btn',
      type: 'button',
      'aria-expanded': 'false',
      'aria-controls': panelId,
    }, TEXT.note);
    function markNote() {
      const waiting = !!(notes[student.id] && notes[student.id].trim());
      noteToggle.textContent = waiting ? TEXT.noteWaiting : TEXT.note;
      if (waiting) {
        noteToggle.setAttribute('aria-label', TEXT.noteWaitingLabel);
      } else {
        noteToggle.removeAttribute('aria-label');
      }
    }
    note.addEventListener('input', function () {
      notes[student.id] = note.value;
      markNote();
    });
    markNote();
    const saveNoteButton = SR.el('button', {
      class: 'btn',
      type: 'button',
      onclick: function () { saveNote(student, target); },
    }, TEXT.saveNote);
    const undoButton = SR.el('button', {
      class: 'btn',
      type: 'button',
      onclick: function () { undo(student, target); },
    }, TEXT.undo);
    const levelsBox = SR.el('div', { class: 'levels' });
    levelButtons.forEach(function (b) { levelsBox.appendChild(b); });
    const panel = SR.el('div', { id: panelId, class: 'note-panel' },
      SR.el('label', { for: noteId, class: 'visually-hidden', text: SR.fill(TEXT.noteFor, { name: student.name }) }),
      note,
      saveNoteButton);
    panel.hidden = !openNotes[student.id];
    noteToggle.setAttribute('aria-expanded', openNotes[student.id] ? 'true' : 'false');
    noteToggle.addEventListener('click', function () {
      openNotes[student.id] = panel.hidden;
      panel.hidden = !panel.hidden;
      noteToggle.setAttribute('aria-expanded', panel.hidden ? 'false' : 'true');
      if (!panel.hidden) {
        note.focus();
      }
    });
    const status = SR.el('span', { class: 'status', role: 'status' });
    const state = rowStates[student.id];
    if (state) {
      status.setAttribute('data-state', state[0]);
      status.textContent = state[1];
    }
    const item = SR.el('li', { class: 'pad-row', role: 'group', 'aria-labelledby': nameId },
      SR.el('div', { class: 'pad-row-head' },
        SR.el('h3', { id: nameId, text: student.name }),
        status),
      levelsBox,
      SR.el('div', { class: 'pad-row-tools' }, absentButton, undoButton, noteToggle),
      panel);
    rows[student.id] = {
      student: student,
      buttons: levelButtons,
      absent: absentButton,
      undo: undoButton,
      saveNote: saveNoteButton,
      note: note,
      markNote: markNote,
      status: status,
    };
    return item;
  }

  function updateRows() {
    if (!view || !view.pad) {
      return;
    }
    const target = currentTarget(view.pad);
    if (!target) {
      return;
    }
    (view.pad.students || []).forEach(function (student) {
      const row = rows[student.id];
      if (!row) {
        return;
      }
      row.student = student;
      const level = levelOf(student, target.id);
      const absent = !!(level && level.absent);
      row.buttons.forEach(function (button) {
        const pressed = !!level && !absent && String(level.value) === button.getAttribute('data-value');
        button.setAttribute('aria-pressed', pressed ? 'true' : 'false');
      });
      row.absent.setAttribute('aria-pressed', absent ? 'true' : 'false');
      const stack = undoStacks[keyOf(student.id, target.id)];
      row.undo.disabled = !stack || !stack.length;
      row.saveNote.disabled = !level || (level.value === null && !absent);
    });
  }

  function buildPad(pad, target) {
    const body = document.getElementById('pad-body');
    const focusedId = document.activeElement && document.activeElement.id;
    SR.clear(body);
    Object.keys(rows).forEach(function (k) { delete rows[k]; });
    const targets = pad.targets || [];
    if (targets.length > 1) {
      const group = SR.el('div', { class: 'targets', role: 'group', 'aria-labelledby': 'target-label' });
      targets.forEach(function (t) {
        group.appendChild(SR.el('button', {
          class: 'btn',
          type: 'button',
          'aria-pressed': t.id === target.id ? 'true' : 'false',
          onclick: function () {
            selectedTarget = t.id;
            render(view);
          },
        }, t.statement));
      });
      body.appendChild(SR.el('div', { class: 'pad-target' },
        SR.el('span', { id: 'target-label', class: 'label', text: TEXT.chooseTarget }), group));
    } else if (target) {
      body.appendChild(SR.el('div', { class: 'pad-target' },
        SR.el('span', { class: 'label', text: TEXT.targetLabel }),
        SR.el('p', { class: 'statement', text: target.statement })));
    }
    const students = pad.students || [];
    if (!students.length || !target) {
      body.appendChild(SR.el('p', { class: 'empty', text: TEXT.noStudents }));
      return;
    }
    const list = SR.el('ul', { class: 'pad-list' });
    students.forEach(function (student) {
      list.appendChild(buildRow(student, target));
    });
    body.appendChild(list);
    if (focusedId) {
      const again = document.getElementById(focusedId);
      if (again) {
        again.focus();
      }
    }
  }

  function renderPad(pad) {
    const heading = document.getElementById('pad-heading');
    const empty = document.getElementById('pad-empty');
    const body = document.getElementById('pad-body');
    document.getElementById('pad-eyebrow').hidden = !pad;
    if (!pad) {
      heading.textContent = TEXT.padHeading;
      empty.hidden = false;
      SR.clear(body);
      padSignature = null;
      return;
    }
    empty.hidden = true;
    heading.textContent = pad.label || TEXT.padHeading;
    const target = currentTarget(pad);
    // The laptop's view now shows what this phone's saved taps did: drop those overrides.
    Object.keys(overrides).forEach(function (k) {
      if (overrides[k].acked) {
        delete overrides[k];
      }
    });
    const signature = signatureOf(pad, target);
    if (signature !== padSignature) {
      padSignature = signature;
      buildPad(pad, target);
    }
    updateRows();
  }

  // ------------------------------------------------------------------ the view

  function render(v) {
    if (!v) {
      return;
    }
    if (v.role && v.role !== 'teacher') {
      location.replace('/student');
      return;
    }
    view = v;
    document.getElementById('title').textContent = v.title || TEXT.untitled;
    clock.update(v.clock);
    renderControls(v);
    renderGroups(v.groups);
    renderDevices(v.devices);
    renderPad(v.pad);
  }

  document.getElementById('leave').addEventListener('click', async function () {
    try {
      const answer = await SR.api('/api/leave', {});
      if (answer.ok || answer.status === 401) {
        SR.goHome(TEXT.left);
        return;
      }
    } catch (e) {
      /* no answer */
    }
    document.getElementById('live').textContent = TEXT.leaveFailed;
  });

  SR.connect(render);
})();
