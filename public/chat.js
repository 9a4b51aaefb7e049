/*
 * The support chat page: gets a token from this server's local Direct Line, renders Microsoft
 * Web Chat (served from /webchat.js, no CDN), keeps the conversation across reloads in this tab,
 * and switches the language of both the page and the bot.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('chat-config').textContent);
  var SESSION_KEY = 'tfa-support-chat/session';
  var LANGUAGE_KEY = 'tfa-support-chat/language';
  var LOCALES = { ja: 'ja-JP', en: 'en-US' };
  var domain = window.location.origin + config.directLinePath;

  var lang = initialLanguage();
  var session = null;
  var directLine = null;
  var store = null;
  var statusKey = 'connecting';
  var statusIsError = false;

  /** A choice made on this page wins, then the browser's languages, then the server default. */
  function initialLanguage() {
    var stored = safeGet(window.localStorage, LANGUAGE_KEY);
    if (stored === 'ja' || stored === 'en') return stored;
    var preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var i = 0; i < preferred.length; i++) {
      var tag = String(preferred[i]).toLowerCase();
      if (tag.indexOf('ja') === 0) return 'ja';
      if (tag.indexOf('en') === 0) return 'en';
    }
    return config.defaultLanguage;
  }

  function texts() {
    return config.texts[lang];
  }

  function applyTexts() {
    var t = texts();
    document.documentElement.lang = lang;
    document.title = t.title;
    setText('page-title', t.title);
    setText('page-subtitle', t.subtitle);
    setText('language-label', t.languageLabel);
    setText('new-chat', t.newChat);
    setText('privacy-note', t.privacyNote);
    setText('chat-label', t.chatLabel);
    var buttons = document.querySelectorAll('.language-switch button');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute('aria-pressed', String(buttons[i].getAttribute('data-lang') === lang));
    }
    showStatus(statusKey, statusIsError);
  }

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value;
  }

  function showStatus(key, isError) {
    statusKey = key;
    statusIsError = !!isError;
    var el = document.getElementById('status');
    el.textContent = key ? texts()[key] : '';
    el.classList.toggle('error', statusIsError);
  }

  async function call(path, token) {
    var headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    var response = await fetch(domain + path, { method: 'POST', headers: headers, cache: 'no-store' });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  }

  /** Resumes this tab's conversation if its token can still be refreshed, else starts a new one. */
  async function openSession() {
    var saved = parse(safeGet(window.sessionStorage, SESSION_KEY));
    if (saved && saved.token && saved.conversationId && saved.userId) {
      try {
        var refreshed = await call('/tokens/refresh', saved.token);
        return { conversationId: refreshed.conversationId, token: refreshed.token, userId: saved.userId, resumed: true };
      } catch (e) {
        safeRemove(window.sessionStorage, SESSION_KEY);
      }
    }
    var fresh = await call('/tokens/generate');
    return { conversationId: fresh.conversationId, token: fresh.token, userId: fresh.userId, resumed: false };
  }

  function saveSession() {
    if (!session) return;
    var token = (directLine && directLine.token) || session.token;
    safeSet(window.sessionStorage, SESSION_KEY, JSON.stringify({ conversationId: session.conversationId, token: token, userId: session.userId }));
  }

  function render() {
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: store,
        userID: session.userId,
        locale: LOCALES[lang],
        styleOptions: {
          accent: '#0b3d7a',
          hideUploadButton: true,
          suggestedActionLayout: 'flow',
          bubbleMaxWidth: 600,
          primaryFont: 'system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", Meiryo, sans-serif'
        }
      },
      document.getElementById('webchat')
    );
  }

  function switchLanguage(next) {
    if (next !== 'ja' && next !== 'en') return;
    var changed = next !== lang;
    lang = next;
    safeSet(window.localStorage, LANGUAGE_KEY, lang);
    applyTexts();
    if (!changed || !store) return;
    render();
    // Tell the bot too; a postBack is not shown in the transcript, the bot's answer is.
    store.dispatch({ type: 'WEB_CHAT/SEND_POST_BACK', payload: { value: { t: 'command', command: 'language', lang: lang } } });
  }

  function watchConnection() {
    return function () {
      return function (next) {
        return function (action) {
          if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
            showStatus('', false);
          } else if (action.type === 'DIRECT_LINE/CONNECT_REJECTED') {
            showStatus('connectFailed', true);
          } else if (action.type === 'DIRECT_LINE/UPDATE_CONNECTION_STATUS') {
            // 4: failed to connect, 5: the conversation no longer exists.
            var status = action.payload && action.payload.connectionStatus;
            if (status === 4 || status === 5) showStatus('connectFailed', true);
          }
          return next(action);
        };
      };
    };
  }

  async function start() {
    applyTexts();
    if (!window.WebChat) {
      showStatus('connectFailed', true);
      return;
    }
    try {
      session = await openSession();
    } catch (e) {
      showStatus('connectFailed', true);
      return;
    }
    var options = {
      domain: domain,
      token: session.token,
      // Replies arrive over the conversation's WebSocket stream (its streamUrl) as soon as they are stored.
      webSocket: true,
      conversationStartProperties: { locale: LOCALES[lang] }
    };
    if (session.resumed) options.conversationId = session.conversationId;
    directLine = window.WebChat.createDirectLine(options);
    store = window.WebChat.createStore({}, watchConnection());
    saveSession();
    render();
    window.addEventListener('pagehide', saveSession);
    document.addEventListener('visibilitychange', saveSession);
    // Web Chat swaps in a refreshed token on its own, and the server retires the old one 30 s
    // later: keep the saved copy current so a reload after a crash can still resume.
    window.setInterval(saveSession, 5 * 1000);
  }

  /** Tells the server this conversation is over, so its tokens stop working (best effort). */
  async function endConversation(ended, token) {
    try {
      await fetch(domain + '/conversations/' + encodeURIComponent(ended.conversationId) + '/activities', {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
        body: JSON.stringify({ type: 'endOfConversation', from: { id: ended.userId } }),
        cache: 'no-store',
        keepalive: true
      });
    } catch (e) {
      /* the token still expires on its own */
    }
  }

  document.querySelector('.language-switch').addEventListener('click', function (event) {
    var button = event.target.closest('button[data-lang]');
    if (button) switchLanguage(button.getAttribute('data-lang'));
  });

  document.getElementById('new-chat').addEventListener('click', async function () {
    var ended = session;
    var token = (directLine && directLine.token) || (ended && ended.token);
    // Nothing to save or resume any more (pagehide would otherwise save it again).
    session = null;
    safeRemove(window.sessionStorage, SESSION_KEY);
    if (directLine) directLine.end();
    if (ended && token) await endConversation(ended, token);
    window.location.reload();
  });

  function parse(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (e) {
      return null;
    }
  }

  // Storage may be unavailable (private mode, blocked cookies): the chat still works, only without resume.
  function safeGet(storage, key) {
    try {
      return storage.getItem(key);
    } catch (e) {
      return null;
    }
  }

  function safeSet(storage, key, value) {
    try {
      storage.setItem(key, value);
    } catch (e) {
      /* not remembered */
    }
  }

  function safeRemove(storage, key) {
    try {
      storage.removeItem(key);
    } catch (e) {
      /* nothing to forget */
    }
  }

  start();
})();
