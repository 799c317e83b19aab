/* A student's own device: first the name picker (a joining session: group, then first
 * name, or a personal code), then her live view: station now and next, the countdown,
 * and her reflection when the teacher opens a check-in. */
(function () {
  'use strict';

  const TEXT = {
    pageTitle: 'My station \u00b7 Station Rotation',
    brand: 'Station Rotation',
    loading: 'Connecting to the laptop\u2026',
    noAnswer: 'The laptop did not answer. Trying again\u2026',
    brandSub: 'Companion',
    pickGroup: 'Which group are you in?',
    pickGroupHint: 'Tap your group. Next you will tap your name.',
    pickName: 'Which one is you?',
    backToGroups: '\u2190 Back to the groups',
    havePersonal: 'I have a personal code',
    personalHeading: 'Your personal code',
    personalLabel: 'Personal code',
    personalHint: 'The code on the card your teacher gave you.',
    personalSubmit: 'Continue',
    personalWrong: 'That code is not right. Check your card and try again.',
    personalShape: 'A personal code has 6 letters or digits.',
    tooMany: 'Too many wrong codes. Wait {s} seconds, then try again.',
    tooManyNow: 'Too many wrong codes. Wait a little, then try again.',
    noGroups: 'There are no groups yet. Ask your teacher.',
    noNames: 'There are no names in this group. Ask your teacher.',
    pickFailed: 'That did not work. Try again, or ask your teacher.',
    connecting: 'Connecting\u2026',
    hello: 'Hi {name}',
    clockHeading: 'Timer',
    nowEyebrow: 'Your station now',
    nextEyebrow: 'Next station',
    noStation: 'No station right now',
    noNext: 'This is your last station',
    openLink: 'Open the activity',
    newTab: ' (opens in a new tab)',
    checkinEyebrow: 'Check-in',
    checkinHeading: 'How sure are you?',
    confidenceLegend: 'How sure are you?',
    // The same words as the laptop's check-in (ui/checks/checkin_view.py).
    confidence: { 1: 'Not yet', 2: 'Getting there', 3: 'Pretty sure', 4: 'I could teach it' },
    wordsLabel: 'A sentence about it (optional)',
    wordsCount: '{n} / 200',
    save: 'Save',
    chooseFirst: 'Choose how sure you are first.',
    savedThanks: 'Saved \u2014 thank you',
    alreadySaved: 'Thanks, your reflection is saved',
    checkinOpened: 'Your teacher opened a check-in: {statement}',
    leave: 'This isn\u2019t me / leave',
    left: 'You have left. Type the class code to join again.',
    leaveFailed: 'The laptop did not answer. Try again.',
  };

  SR.applyText(TEXT);

  const sections = ['loading', 'pick-group', 'pick-name', 'personal', 'live-view'];
  function show(id) {
    sections.forEach(function (name) {
      document.getElementById(name).hidden = name !== id;
    });
    document.getElementById('leave').hidden = id !== 'live-view';
  }

  function showError(id, words) {
    const box = document.getElementById(id);
    box.textContent = words || '';
    box.hidden = !words;
  }

  function focusHeading(id) {
    const heading = document.getElementById(id);
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }

  // ------------------------------------------------------------------ joining

  async function loadGroups() {
    let answer = null;
    try {
      answer = await SR.getJSON('/api/join/groups');
    } catch (e) {
      document.getElementById('loading').textContent = TEXT.noAnswer;
      setTimeout(loadGroups, 3000);
      return;
    }
    if (answer.status === 401) {
      SR.goHome(SR.TEXT.signedOut);
      return;
    }
    if (!answer.ok) {
      startLive(); // not a joining session: this device already is a student's
      return;
    }
    renderGroups((answer.data && answer.data.groups) || []);
  }

  function renderGroups(groups) {
    const list = document.getElementById('group-list');
    SR.clear(list);
    showError('pick-group-error', groups.length ? '' : TEXT.noGroups);
    groups.forEach(function (group) {
      list.appendChild(SR.el('button', {
        class: 'btn',
        type: 'button',
        onclick: function () { loadNames(group); },
      }, SR.swatch(group.colour, true, group.symbol), SR.el('span', { text: group.name })));
    });
    show('pick-group');
  }

  async function loadNames(group) {
    let answer = null;
    try {
      answer = await SR.getJSON('/api/join/groups/' + encodeURIComponent(group.key));
    } catch (e) {
      showError('pick-group-error', SR.TEXT.noAnswer);
      return;
    }
    if (answer.status === 401) {
      SR.goHome(SR.TEXT.signedOut);
      return;
    }
    if (!answer.ok) {
      showError('pick-group-error', SR.errorWords(answer) || TEXT.pickFailed);
      return;
    }
    const chip = document.getElementById('pick-name-group');
    SR.clear(chip);
    chip.appendChild(SR.swatch(group.colour, false, group.symbol));
    chip.appendChild(SR.el('span', { text: group.name }));
    const list = document.getElementById('name-list');
    SR.clear(list);
    const students = (answer.data && answer.data.students) || [];
    showError('pick-name-error', students.length ? '' : TEXT.noNames);
    students.forEach(function (student) {
      list.appendChild(SR.el('button', {
        class: 'btn',
        type: 'button',
        onclick: function (event) { pick(group, student, event.currentTarget); },
      }, student.first_name));
    });
    show('pick-name');
    focusHeading('pick-name-heading');
  }

  async function pick(group, student, button) {
    const buttons = document.querySelectorAll('#name-list button');
    for (let i = 0; i < buttons.length; i++) {
      buttons[i].disabled = true;
    }
    button.textContent = TEXT.connecting;
    let answer = null;
    try {
      answer = await SR.api('/api/join/pick', { group: group.key, student: student.key });
    } catch (e) {
      answer = null;
    }
    if (answer && answer.ok) {
      startLive();
      return;
    }
    if (answer && answer.status === 401) {
      SR.goHome(SR.TEXT.signedOut);
      return;
    }
    for (let i = 0; i < buttons.length; i++) {
      buttons[i].disabled = false;
    }
    button.textContent = student.first_name;
    showError('pick-name-error', answer ? (SR.errorWords(answer) || TEXT.pickFailed) : SR.TEXT.noAnswer);
  }

  document.getElementById('back-to-groups').addEventListener('click', function () {
    show('pick-group');
    focusHeading('pick-group-heading');
  });
  document.getElementById('personal-back').addEventListener('click', function () {
    show('pick-group');
    focusHeading('pick-group-heading');
  });
  document.getElementById('show-personal').addEventListener('click', function () {
    show('personal');
    document.getElementById('personal-code').focus();
  });

  document.getElementById('personal-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    const input = document.getElementById('personal-code');
    const submit = document.getElementById('personal-submit');
    const code = input.value.replace(/[\s-]/g, '').toUpperCase();
    if (!/^[A-Z0-9]{6}$/.test(code)) {
      showError('personal-error', TEXT.personalShape);
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = TEXT.connecting;
    showError('personal-error', '');
    let answer = null;
    try {
      answer = await SR.api('/api/join/personal', { code: code });
    } catch (e) {
      answer = null;
    }
    submit.disabled = false;
    submit.textContent = TEXT.personalSubmit;
    if (answer && answer.ok) {
      startLive();
      return;
    }
    if (answer && answer.status === 401) {
      SR.goHome(SR.TEXT.signedOut);
      return;
    }
    let words = SR.TEXT.noAnswer;
    if (answer && answer.status === 429) {
      const seconds = parseInt(answer.retryAfter, 10);
      words = seconds > 0 ? SR.fill(TEXT.tooMany, { s: seconds }) : TEXT.tooManyNow;
    } else if (answer && (answer.status === 403 || answer.status === 404)) {
      words = TEXT.personalWrong;
    } else if (answer && (answer.status === 400 || answer.status === 422)) {
      words = TEXT.personalShape;
    } else if (answer) {
      words = SR.errorWords(answer) || TEXT.pickFailed;
    }
    showError('personal-error', words);
    input.focus();
  });

  // ------------------------------------------------------------------ the live view

  const clock = new SR.Clock(document.getElementById('clock'), document.getElementById('live'));
  let started = false;

  function startLive() {
    if (started) {
      return;
    }
    started = true;
    SR.watchPending();
    document.getElementById('connection').hidden = false;
    SR.connect(render);
  }

  function renderStation(now, next) {
    const nowHeading = document.getElementById('now-heading');
    const instructions = document.getElementById('now-instructions');
    const link = document.getElementById('now-link');
    nowHeading.textContent = now && now.name ? now.name : TEXT.noStation;
    instructions.textContent = now && now.instructions ? now.instructions : '';
    instructions.hidden = !(now && now.instructions);
    const url = now ? SR.safeUrl(now.content_url) : null;
    if (url) {
      link.href = url;
      link.hidden = false;
    } else {
      link.removeAttribute('href');
      link.hidden = true;
    }
    document.getElementById('next-heading').textContent = next && next.name ? next.name : TEXT.noNext;
  }

  // ------------------------------------------------------------------ check-in

  let checkinFor = null;    // the target the form is for
  let savedFor = null;      // the target this page saved a reflection for
  let saving = false;
  let savingFor = null;     // the target of the unanswered save
  const grid = document.getElementById('confidence-grid');
  [1, 2, 3, 4].forEach(function (value) {
    const input = SR.el('input', { type: 'radio', name: 'confidence', value: String(value), id: 'confidence-' + value });
    grid.appendChild(SR.el('label', { class: 'confidence-option', for: 'confidence-' + value },
      input,
      SR.el('span', null, SR.el('b', { text: String(value) }), TEXT.confidence[value])));
  });
  const words = document.getElementById('words');
  const wordsCount = document.getElementById('words-count');
  const checkinStatus = document.getElementById('checkin-status');
  function countWords() {
    wordsCount.textContent = SR.fill(TEXT.wordsCount, { n: words.value.length });
  }
  words.addEventListener('input', countWords);
  countWords();

  function resetCheckin() {
    const radios = grid.querySelectorAll('input');
    for (let i = 0; i < radios.length; i++) {
      radios[i].checked = false;
    }
    words.value = '';
    countWords();
    SR.showState(checkinStatus, '', '');
  }

  function renderCheckin(v) {
    const box = document.getElementById('checkin');
    const checkin = v.checkin;
    if (!checkin) {
      box.hidden = true;
      checkinFor = null;
      return;
    }
    if (checkin.target_id !== checkinFor) {
      const first = checkinFor === null && box.hidden;
      checkinFor = checkin.target_id;
      if (!saving) {
        resetCheckin();
      }
      if (first && !v.reflected) {
        clock.announce(SR.fill(TEXT.checkinOpened, { statement: checkin.statement }));
      }
    }
    box.hidden = false;
    document.getElementById('checkin-statement').textContent = checkin.statement;
    const done = v.reflected || savedFor === checkin.target_id;
    document.getElementById('checkin-form').hidden = done;
    const thanks = document.getElementById('checkin-thanks');
    thanks.hidden = !done;
    // A view saying "reflected" while this page's save is unanswered is that save landing.
    const mine = savedFor === checkin.target_id || (saving && savingFor === checkin.target_id);
    thanks.textContent = mine ? TEXT.savedThanks : TEXT.alreadySaved;
  }

  document.getElementById('checkin-form').addEventListener('submit', function (event) {
    event.preventDefault();
    if (saving || !checkinFor) {
      return;
    }
    const chosen = grid.querySelector('input:checked');
    if (!chosen) {
      checkinStatus.setAttribute('data-state', 'refused');
      checkinStatus.textContent = TEXT.chooseFirst;
      grid.querySelector('input').focus();
      return;
    }
    saving = true;
    const target = checkinFor;
    savingFor = target;
    const button = document.getElementById('checkin-save');
    button.disabled = true;
    SR.send('/api/reflection', {
      id: SR.newId(),
      confidence: parseInt(chosen.value, 10),
      words: words.value.trim().slice(0, 200),
    }, function (state, detail) {
      SR.showState(checkinStatus, state, detail);
      if (state === 'saved' || state === 'refused') {
        saving = false;
        button.disabled = false;
      }
      if (state === 'saved') {
        savedFor = target;
        if (lastView) {
          renderCheckin(lastView);
        }
        const thanks = document.getElementById('checkin-thanks');
        thanks.setAttribute('tabindex', '-1');
        thanks.focus();
      }
    });
  });

  // ------------------------------------------------------------------ render

  let lastView = null;

  function render(v) {
    if (!v) {
      return;
    }
    if (v.role === 'teacher') {
      location.replace('/teacher');
      return;
    }
    lastView = v;
    show('live-view');
    document.getElementById('run-title').textContent = v.title || TEXT.brandSub;
    document.getElementById('hello').textContent = SR.fill(TEXT.hello, { name: v.first_name || '' });
    const chip = document.getElementById('group');
    SR.clear(chip);
    if (v.group) {
      chip.appendChild(SR.swatch(v.group.colour, false, v.group.symbol));
      chip.appendChild(SR.el('span', { text: v.group.name }));
    }
    chip.hidden = !v.group;
    clock.update(v.clock);
    renderStation(v.now, v.next);
    renderCheckin(v);
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
    clock.announce(TEXT.leaveFailed);
  });

  show('loading');
  loadGroups();
})();
