/* Station Rotation classroom companion: what every page shares.
 *
 * Plain ES2017 for older Chromebooks and phones: no modules, no build step, no optional
 * chaining. The wire is docs/companion.md. Everything here hangs off one global, SR.
 *
 *  - SR.api / SR.getJSON: one request, with the companion's headers.
 *  - SR.send: the resend queue. An action that gets no answer is resent, the same
 *    request with the same id, until the laptop answers; only a 2xx says "Saved".
 *  - SR.connect: the server-sent events (/api/events), rendering each view.
 *  - SR.Clock: the countdown, computed from the laptop's deadline and clock offset,
 *    never counted down here (the projector's no-drift rule).
 */
/* exported SR */
var SR = (function () {
  'use strict';

  // Every string this file shows. A page's own strings are in its TEXT.
  const TEXT = {
    saving: 'Saving\u2026',
    saved: 'Saved',
    retrying: 'Not saved \u2014 trying again',
    refused: 'Not saved: {error}',
    refusedPlain: 'Not saved',
    pendingOne: '1 change not saved yet \u2014 trying again',
    pendingMany: '{n} changes not saved yet \u2014 trying again',
    leaveWarning: 'Some changes are not saved yet.',
    online: 'Connected',
    offline: 'Reconnecting\u2026',
    ended: 'The session has ended. Type a code to join again.',
    signedOut: 'This device is not connected any more. Type a code to join again.',
    round: 'Round {round} of {rounds}',
    transition: 'Move to your next station',
    waiting: 'Round {round} of {rounds} starts when your teacher says',
    finished: 'Finished',
    notStarted: 'Not started yet',
    noRun: 'No rotation is running',
    paused: 'Paused',
    running: '',
    announceRound: 'Round {round} of {rounds} has started.',
    announceTransition: 'Time to move to your next station.',
    announceFinished: 'The rotation is finished.',
    announcePaused: 'The timer is paused.',
    announceResumed: 'The timer is running again.',
    announceOneMinute: 'One minute left.',
    noAnswer: 'The laptop did not answer. Check this device is on the classroom Wi-Fi.',
  };

  const REQUEST_TIMEOUT_MS = 10000;
  const RETRY_MAX_MS = 15000;

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  /* A v4 UUID from crypto.getRandomValues: crypto.randomUUID exists only in a secure
   * context, and the companion is plain HTTP on the classroom network. */
  function newId() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = '';
    for (let i = 0; i < bytes.length; i++) {
      hex += (bytes[i] + 0x100).toString(16).slice(1);
    }
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' +
      hex.slice(16, 20) + '-' + hex.slice(20);
  }

  /* fetch with a time limit: a laptop that went to sleep must not leave a tap hanging. */
  function fetchWithTimeout(path, options) {
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    if (controller) {
      options.signal = controller.signal;
    }
    const timer = setTimeout(function () {
      if (controller) {
        controller.abort();
      }
    }, REQUEST_TIMEOUT_MS);
    return fetch(path, options).then(function (response) {
      clearTimeout(timer);
      return response;
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  }

  async function readAnswer(response) {
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    return {
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
      data: data,
      retryAfter: response.headers.get('Retry-After'),
    };
  }

  /* One POST with the companion's headers. Rejects when no answer came at all. */
  async function api(path, body) {
    const response = await fetchWithTimeout(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Companion': '1' },
      credentials: 'same-origin',
      cache: 'no-store',
      body: JSON.stringify(body || {}),
    });
    return readAnswer(response);
  }

  async function getJSON(path) {
    const response = await fetchWithTimeout(path, {
      method: 'GET',
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
    return readAnswer(response);
  }

  function errorWords(answer) {
    return answer && answer.data && typeof answer.data.error === 'string' ? answer.data.error : '';
  }

  /* Back to the code screen, with a sentence for it to show. */
  function goHome(message) {
    try {
      if (message) {
        sessionStorage.setItem('sr_notice', message);
      }
    } catch (e) {
      /* private mode: the code screen simply shows no notice */
    }
    leaving = true;
    location.replace('/');
  }

  // ---------------------------------------------------------------- resend queue

  /* One request at a time, in tap order, so a resent older tap can never land after a
   * newer one. An item leaves the queue only when the laptop answered it: 2xx (saved)
   * or a refusal in words (4xx). No answer, 5xx, 503 or 429 keep it at the head, and it
   * is resent, byte for byte the same, with backoff. */
  const queue = [];
  let busy = false;
  let retryTimer = null;
  let attempt = 0;
  let leaving = false;
  const pendingListeners = [];

  function notifyPending() {
    for (let i = 0; i < pendingListeners.length; i++) {
      pendingListeners[i](queue.length, attempt > 0);
    }
  }

  function report(item, state, detail) {
    if (typeof item.onState === 'function') {
      try {
        item.onState(state, detail);
      } catch (e) {
        if (window.console) {
          console.error(e);
        }
      }
    }
  }

  /* Queue a POST. onState(state, detail) hears 'saving', 'retrying', 'saved' (detail:
   * the answer's data) and 'refused' (detail: the server's words). Resolves with the
   * answer once there is one. The body is sent as is: put the tap's id in it. */
  function send(path, body, onState) {
    return new Promise(function (resolve) {
      const item = { path: path, body: body, onState: onState, resolve: resolve };
      queue.push(item);
      report(item, attempt > 0 ? 'retrying' : 'saving');
      notifyPending();
      pump();
    });
  }

  function scheduleRetry(retryAfterSeconds) {
    attempt += 1;
    for (let i = 0; i < queue.length; i++) {
      report(queue[i], 'retrying');
    }
    let delay = Math.min(RETRY_MAX_MS, 1000 * Math.pow(2, attempt - 1));
    delay = delay * (0.75 + Math.random() * 0.5);
    const asked = parseInt(retryAfterSeconds, 10);
    if (asked > 0) {
      delay = Math.max(delay, asked * 1000);
    }
    retryTimer = setTimeout(function () {
      retryTimer = null;
      pump();
    }, delay);
    notifyPending();
  }

  async function pump() {
    if (busy || retryTimer !== null || queue.length === 0 || leaving) {
      return;
    }
    busy = true;
    const item = queue[0];
    let answer = null;
    try {
      answer = await api(item.path, item.body);
    } catch (e) {
      answer = null; // no answer: network down, laptop closed, timed out
    }
    busy = false;
    if (answer === null || answer.status >= 500 || answer.status === 429 || answer.status === 408) {
      scheduleRetry(answer ? answer.retryAfter : null);
      return;
    }
    if (answer.status === 401) {
      goHome(TEXT.signedOut);
      return;
    }
    queue.shift();
    attempt = 0;
    if (answer.ok) {
      report(item, 'saved', answer.data);
    } else {
      report(item, 'refused', errorWords(answer));
    }
    item.resolve(answer);
    notifyPending();
    pump();
  }

  /* Resend now rather than at the end of the backoff (the network came back). */
  function kick() {
    if (retryTimer !== null) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    pump();
  }

  function onPending(listener) {
    pendingListeners.push(listener);
  }

  window.addEventListener('online', kick);
  window.addEventListener('beforeunload', function (event) {
    if (queue.length > 0 && !leaving) {
      event.preventDefault();
      event.returnValue = TEXT.leaveWarning;
      return TEXT.leaveWarning;
    }
    return undefined;
  });

  /* The words a status line shows for a state from send(). */
  function stateWords(state, detail) {
    if (state === 'saving') {
      return TEXT.saving;
    }
    if (state === 'retrying') {
      return TEXT.retrying;
    }
    if (state === 'saved') {
      return TEXT.saved;
    }
    if (state === 'refused') {
      return detail ? fill(TEXT.refused, { error: detail }) : TEXT.refusedPlain;
    }
    return '';
  }

  function showState(element, state, detail) {
    if (!element) {
      return;
    }
    element.setAttribute('data-state', state || '');
    element.textContent = stateWords(state, detail);
  }

  // ---------------------------------------------------------------- live view

  let connectionElement = null;

  function setConnection(isOnline) {
    if (!connectionElement) {
      connectionElement = document.getElementById('connection');
    }
    if (connectionElement) {
      connectionElement.setAttribute('data-state', isOnline ? 'online' : 'offline');
      connectionElement.textContent = isOnline ? TEXT.online : TEXT.offline;
    }
  }

  /* Follow /api/events; onView(view) for each view. The stream sends the current view at
   * once on connecting, so a device that reconnects (or wakes up) catches up at once. */
  function connect(onView) {
    let source = null;
    let backoff = 1000;
    let reopenTimer = null;

    function handleView(event) {
      let view = null;
      try {
        view = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      setConnection(true);
      onView(view);
    }

    function open() {
      reopenTimer = null;
      if (source) {
        source.close();
      }
      source = new EventSource('/api/events');
      source.addEventListener('open', function () {
        backoff = 1000;
        setConnection(true);
        kick();
      });
      source.addEventListener('view', handleView);
      source.addEventListener('ended', function () {
        source.close();
        goHome(TEXT.ended);
      });
      source.addEventListener('error', function () {
        if (leaving) {
          return;
        }
        setConnection(false);
        // CONNECTING: the browser reconnects by itself. CLOSED: it gave up (an HTTP error
        // such as 401), so ask why, then open a new stream.
        if (source.readyState === 2) {
          source.close();
          checkSession();
        }
      });
    }

    async function checkSession() {
      try {
        const answer = await getJSON('/api/view');
        if (answer.status === 401) {
          goHome(TEXT.signedOut);
          return;
        }
        if (answer.ok && answer.data) {
          onView(answer.data);
        }
      } catch (e) {
        /* no answer: try the stream again below */
      }
      reopenLater();
    }

    function reopenLater() {
      if (reopenTimer === null) {
        reopenTimer = setTimeout(open, backoff);
        backoff = Math.min(backoff * 2, RETRY_MAX_MS);
      }
    }

    // A phone that slept may hold a dead stream: open a fresh one when it is looked at.
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && !leaving) {
        if (reopenTimer !== null) {
          clearTimeout(reopenTimer);
        }
        open();
      }
    });

    open();
  }

  // ---------------------------------------------------------------- the clock

  function formatMs(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    const ss = String(seconds).padStart(2, '0');
    if (hours > 0) {
      return hours + ':' + String(minutes).padStart(2, '0') + ':' + ss;
    }
    return minutes + ':' + ss;
  }

  function phaseWords(clock) {
    if (!clock) {
      return '';
    }
    if (clock.phase === 'round') {
      return fill(TEXT.round, { round: clock.round, rounds: clock.rounds });
    }
    if (clock.waiting) {
      return fill(TEXT.waiting, { round: clock.round, rounds: clock.rounds });
    }
    if (clock.phase === 'transition') {
      return TEXT.transition;
    }
    if (clock.phase === 'finished') {
      return TEXT.finished;
    }
    return TEXT.notStarted;
  }

  /* Renders view.clock into a box with .clock-phase, .clock-time and .clock-state, and
   * tells screen readers (politely, in `live`) when a round starts, the timer pauses or
   * one minute is left: never every second. */
  function Clock(box, live) {
    this.box = box;
    this.phaseEl = box.querySelector('.clock-phase');
    this.timeEl = box.querySelector('.clock-time');
    this.stateEl = box.querySelector('.clock-state');
    this.live = live;
    this.clock = null;
    this.offset = 0;
    this.shown = '';
    this.lastKey = null;
    this.lastPaused = null;
    this.warnedFor = null;
    const self = this;
    setInterval(function () {
      self.render();
    }, 250);
  }

  Clock.prototype.update = function (clock) {
    if (!clock) {
      // The run ended (or none is running): say so, never show its last time.
      this.clock = null;
      this.lastKey = null;
      this.lastPaused = null;
      this.shown = '';
      this.phaseEl.textContent = TEXT.noRun;
      this.timeEl.textContent = '\u2013:\u2013\u2013';
      this.stateEl.textContent = '';
      this.box.setAttribute('data-phase', 'none');
      this.box.setAttribute('data-paused', 'false');
      return;
    }
    this.clock = clock;
    if (typeof clock.now_ms === 'number') {
      this.offset = clock.now_ms - Date.now();
    }
    const key = clock.phase + ':' + clock.round;
    if (this.lastKey !== null && key !== this.lastKey) {
      if (clock.phase === 'round') {
        this.announce(fill(TEXT.announceRound, { round: clock.round, rounds: clock.rounds }));
      } else if (clock.phase === 'transition') {
        this.announce(TEXT.announceTransition);
      } else if (clock.phase === 'finished') {
        this.announce(TEXT.announceFinished);
      }
    } else if (this.lastPaused !== null && clock.paused !== this.lastPaused) {
      this.announce(clock.paused ? TEXT.announcePaused : TEXT.announceResumed);
    }
    this.lastKey = key;
    this.lastPaused = !!clock.paused;
    this.phaseEl.textContent = phaseWords(clock);
    this.stateEl.textContent = clock.paused ? TEXT.paused : TEXT.running;
    this.box.setAttribute('data-phase', clock.phase || '');
    this.box.setAttribute('data-paused', clock.paused ? 'true' : 'false');
    this.render();
  };

  Clock.prototype.remaining = function () {
    const clock = this.clock;
    const running = !clock.paused && typeof clock.deadline_ms === 'number' &&
      (clock.phase === 'round' || clock.phase === 'transition');
    if (running) {
      return clock.deadline_ms - (Date.now() + this.offset);
    }
    if (clock.phase === 'finished') {
      return 0;
    }
    return typeof clock.remaining_ms === 'number' ? clock.remaining_ms : null;
  };

  Clock.prototype.render = function () {
    if (!this.clock) {
      return;
    }
    const ms = this.remaining();
    const text = ms === null ? '\u2013:\u2013\u2013' : formatMs(ms);
    if (text !== this.shown) {
      this.shown = text;
      this.timeEl.textContent = text;
    }
    const segment = this.clock.phase + ':' + this.clock.round;
    if (this.clock.phase === 'round' && !this.clock.paused && ms !== null &&
        ms <= 60000 && ms > 55000 && this.warnedFor !== segment) {
      this.warnedFor = segment;
      this.announce(TEXT.announceOneMinute);
    }
  };

  Clock.prototype.announce = function (words) {
    if (!this.live) {
      return;
    }
    // Clear first, so the same sentence twice is still read.
    const live = this.live;
    live.textContent = '';
    setTimeout(function () {
      live.textContent = words;
    }, 60);
  };

  // ---------------------------------------------------------------- small DOM helpers

  /* el('button', {class: 'btn', type: 'button'}, 'Text', child...). Text is always set
   * as text, never as HTML: names and notes come from people. */
  function el(tag, attrs) {
    const node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        const value = attrs[name];
        if (value === null || value === undefined || value === false) {
          return;
        }
        if (name === 'text') {
          node.textContent = value;
        } else if (name.slice(0, 2) === 'on' && typeof value === 'function') {
          node.addEventListener(name.slice(2), value);
        } else {
          node.setAttribute(name, value === true ? '' : String(value));
        }
      });
    }
    for (let i = 2; i < arguments.length; i++) {
      const child = arguments[i];
      if (child === null || child === undefined || child === false) {
        continue;
      }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  /* A group colour as the server sent it, or a neutral grey: never raw text in a style. */
  function colour(value) {
    return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : '#8a94a1';
  }

  /* Each group's shape, the outline station_rotation/core/scheduling/symbols.py gives it
   * (a polygon in the unit square; tests/companion/test_group_shapes.py keeps them equal),
   * so a group is never told apart by its colour alone. */
  const SHAPES = {
    circle:
      '0.98,0.5 0.976,0.563 0.964,0.624 0.943,0.684 0.916,0.74 0.881,0.792 0.839,0.839 ' +
      '0.792,0.881 0.74,0.916 0.684,0.943 0.624,0.964 0.563,0.976 0.5,0.98 0.437,0.976 ' +
      '0.376,0.964 0.316,0.943 0.26,0.916 0.208,0.881 0.161,0.839 0.119,0.792 ' +
      '0.084,0.74 0.057,0.684 0.036,0.624 0.024,0.563 0.02,0.5 0.024,0.437 0.036,0.376 ' +
      '0.057,0.316 0.084,0.26 0.119,0.208 0.161,0.161 0.208,0.119 0.26,0.084 ' +
      '0.316,0.057 0.376,0.036 0.437,0.024 0.5,0.02 0.563,0.024 0.624,0.036 0.684,0.057 ' +
      '0.74,0.084 0.792,0.119 0.839,0.161 0.881,0.208 0.916,0.26 0.943,0.316 ' +
      '0.964,0.376 0.976,0.437',
    triangle: '0.5,0.04 0.98,0.9 0.02,0.9',
    square: '0.08,0.08 0.92,0.08 0.92,0.92 0.08,0.92',
    diamond: '0.5,0 1,0.5 0.5,1 0,0.5',
    star:
      '0.5,0.04 0.618,0.378 0.976,0.385 0.69,0.602 0.794,0.945 0.5,0.74 0.206,0.945 ' +
      '0.31,0.602 0.024,0.385 0.382,0.378',
    cross:
      '0.33,0.02 0.67,0.02 0.67,0.33 0.98,0.33 0.98,0.67 0.67,0.67 0.67,0.98 0.33,0.98 ' +
      '0.33,0.67 0.02,0.67 0.02,0.33 0.33,0.33',
    hexagon: '0.99,0.5 0.745,0.924 0.255,0.924 0.01,0.5 0.255,0.076 0.745,0.076',
    heart:
      '0.5,0.273 0.501,0.267 0.504,0.248 0.514,0.218 0.532,0.183 0.56,0.146 0.597,0.111 ' +
      '0.644,0.085 0.697,0.069 0.754,0.067 0.812,0.078 0.866,0.104 0.913,0.142 ' +
      '0.949,0.19 0.972,0.245 0.98,0.303 0.972,0.363 0.949,0.423 0.913,0.48 0.866,0.536 ' +
      '0.812,0.588 0.754,0.639 0.697,0.688 0.644,0.735 0.597,0.78 0.56,0.821 ' +
      '0.532,0.858 0.514,0.89 0.504,0.914 0.501,0.928 0.5,0.933 0.499,0.928 0.496,0.914 ' +
      '0.486,0.89 0.468,0.858 0.44,0.821 0.403,0.78 0.356,0.735 0.303,0.688 0.246,0.639 ' +
      '0.188,0.588 0.134,0.536 0.087,0.48 0.051,0.423 0.028,0.363 0.02,0.303 ' +
      '0.028,0.245 0.051,0.19 0.087,0.142 0.134,0.104 0.188,0.078 0.246,0.067 ' +
      '0.303,0.069 0.356,0.085 0.403,0.111 0.44,0.146 0.468,0.183 0.486,0.218 ' +
      '0.496,0.248 0.499,0.267',
  };

  /* Black or white, whichever reads better on the colour (WCAG contrast, as the app). */
  function inkOn(value) {
    const hex = colour(value);
    const lum = [1, 3, 5].map(function (i) {
      const c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    const l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
  }

  /* The group's badge: its colour with its shape on it (inline SVG), as on the cards. */
  function swatch(value, big, symbol) {
    const node = el('span', { class: big ? 'swatch swatch-lg' : 'swatch', 'aria-hidden': 'true' });
    node.style.backgroundColor = colour(value);
    const points = typeof symbol === 'string' && Object.prototype.hasOwnProperty.call(SHAPES, symbol)
      ? SHAPES[symbol] : null;
    if (points) {
      const ns = 'http://www.w3.org/2000/svg';
      const svg = document.createElementNS(ns, 'svg');
      svg.setAttribute('viewBox', '-0.2 -0.2 1.4 1.4');
      svg.setAttribute('class', 'swatch-shape');
      svg.setAttribute('data-symbol', symbol);
      svg.setAttribute('focusable', 'false');
      const shape = document.createElementNS(ns, 'polygon');
      shape.setAttribute('points', points);
      shape.setAttribute('fill', inkOn(value));
      svg.appendChild(shape);
      node.appendChild(svg);
      node.classList.add('swatch-symbol');
    }
    return node;
  }

  /* Only http(s) links open from a station: never javascript: or data:. */
  function safeUrl(value) {
    if (typeof value !== 'string' || value === '') {
      return null;
    }
    try {
      const url = new URL(value, location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /* Fill [data-t], [data-t-placeholder] and [data-t-label] from a page's TEXT, so every
   * visible string lives in one object (translation later). */
  function applyText(text) {
    const nodes = document.querySelectorAll('[data-t],[data-t-placeholder],[data-t-label]');
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const key = node.getAttribute('data-t');
      if (key && Object.prototype.hasOwnProperty.call(text, key)) {
        node.textContent = text[key];
      }
      const placeholder = node.getAttribute('data-t-placeholder');
      if (placeholder && Object.prototype.hasOwnProperty.call(text, placeholder)) {
        node.setAttribute('placeholder', text[placeholder]);
      }
      const label = node.getAttribute('data-t-label');
      if (label && Object.prototype.hasOwnProperty.call(text, label)) {
        node.setAttribute('aria-label', text[label]);
      }
    }
    if (text.pageTitle) {
      document.title = text.pageTitle;
    }
  }

  /* The sticky "N changes not saved yet" line every live page has (#pending). */
  function watchPending() {
    const banner = document.getElementById('pending');
    if (!banner) {
      return;
    }
    onPending(function (count, retrying) {
      if (count > 0 && retrying) {
        banner.hidden = false;
        banner.textContent = count === 1 ? TEXT.pendingOne : fill(TEXT.pendingMany, { n: count });
      } else {
        banner.hidden = true;
        banner.textContent = '';
      }
    });
  }

  return {
    TEXT: TEXT,
    fill: fill,
    newId: newId,
    api: api,
    getJSON: getJSON,
    errorWords: errorWords,
    goHome: goHome,
    send: send,
    kick: kick,
    onPending: onPending,
    watchPending: watchPending,
    stateWords: stateWords,
    showState: showState,
    connect: connect,
    setConnection: setConnection,
    Clock: Clock,
    formatMs: formatMs,
    phaseWords: phaseWords,
    el: el,
    clear: clear,
    colour: colour,
    swatch: swatch,
    safeUrl: safeUrl,
    applyText: applyText,
  };
})();
