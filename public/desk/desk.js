/*
 * The support desk console's progressive enhancement (served as is, no build step). Every page
 * works without it: forms post, links navigate, the queue shows what was there at load time.
 * With it: the queue updates live (Server-Sent Events from /desk/events), copy buttons appear next
 * to identity claims, irreversible actions ask for confirmation in a dialog, and the browser's
 * time zone is remembered so the server writes times in it.
 * Text from the server is only ever set with textContent; the one exception is a queue row the
 * server rendered (and escaped) itself.
 */
(function () {
  'use strict';

  var live = document.getElementById('live');
  function announce(text) {
    if (!live || !text) return;
    live.textContent = '';
    window.setTimeout(function () {
      live.textContent = text;
    }, 50);
  }

  // Time zone: the next page is written in the browser's zone.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.documentElement.getAttribute('data-tz') !== zone) {
      document.cookie =
        'desk_tz=' + encodeURIComponent(zone) + '; path=/desk; max-age=31536000; samesite=strict' + (location.protocol === 'https:' ? '; secure' : '');
    }
  } catch (e) {
    /* no Intl time zones: the server's zone it is */
  }

  // Copy buttons: hidden without this script (the values stay selectable text).
  Array.prototype.forEach.call(document.querySelectorAll('button[data-copy]'), function (button) {
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy'));
      if (!target) return;
      var text = target.tagName === 'INPUT' ? target.value : target.textContent;
      var done = function () {
        button.textContent = button.getAttribute('data-copied');
        announce(button.getAttribute('data-copied'));
        window.setTimeout(function () {
          button.textContent = label;
        }, 2000);
      };
      var fallback = function () {
        var range = document.createRange();
        range.selectNodeContents(target);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (target.tagName === 'INPUT') target.select();
        try {
          if (document.execCommand('copy')) done();
        } catch (e) {
          /* the text stays selected for Ctrl+C */
        }
      };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
      else fallback();
    });
  });

  // The tree: start at the customer's first step; switch between the whole tree and actual size.
  var frame = document.getElementById('tree-frame');
  var fit = document.getElementById('tree-fit');
  if (frame) {
    var first = frame.querySelector('.tree-node--path');
    if (first && typeof first.getBBox === 'function') {
      var box = first.getBoundingClientRect();
      var outer = frame.getBoundingClientRect();
      frame.scrollLeft = Math.max(0, box.left - outer.left - 40);
      frame.scrollTop = Math.max(0, box.top - outer.top - 40);
    }
  }
  if (frame && fit) {
    fit.hidden = false;
    fit.addEventListener('click', function () {
      var on = frame.classList.toggle('tree-frame--fit');
      fit.textContent = fit.getAttribute(on ? 'data-actual' : 'data-fit');
    });
  }

  // Irreversible actions: a real dialog (never window.confirm), Cancel focused first, Esc cancels.
  var dialog = document.getElementById('confirm-dialog');
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var text = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (!text || !dialog || typeof dialog.showModal !== 'function') return;
    if (form.getAttribute('data-confirmed') === '1') {
      form.removeAttribute('data-confirmed');
      return;
    }
    event.preventDefault();
    document.getElementById('confirm-text').textContent = text;
    dialog.returnValue = '';
    dialog.addEventListener(
      'close',
      function () {
        if (dialog.returnValue === 'ok') {
          form.setAttribute('data-confirmed', '1');
          if (submitter && typeof form.requestSubmit === 'function') form.requestSubmit(submitter);
          else form.submit();
        } else if (submitter) {
          submitter.focus();
        }
      },
      { once: true },
    );
    dialog.showModal();
  });

  // The live queue.
  var table = document.getElementById('queue');
  var notice = document.getElementById('queue-notice');
  if (!table || !notice || !('EventSource' in window)) return;
  var tbody = table.tBodies[0];
  var firstPage = table.getAttribute('data-first-page') === 'true';
  var plural = new Intl.PluralRules(document.documentElement.lang || 'en');
  var waiting = 0;

  function toRow(html) {
    var template = document.createElement('template');
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function setNotice(text, linkText, href) {
    notice.textContent = '';
    notice.appendChild(document.createTextNode(text + ' '));
    if (linkText) {
      var a = document.createElement('a');
      a.textContent = linkText;
      a.href = href;
      notice.appendChild(a);
    }
    notice.hidden = false;
  }

  function showWaiting() {
    var form = plural.select(waiting) === 'one' ? 'data-one' : 'data-other';
    var href = notice.getAttribute('data-first') || location.pathname + location.search;
    setNotice(notice.getAttribute(form).replace('{n}', String(waiting)), notice.getAttribute('data-show'), href);
  }

  function updateCounts(counts) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-count]'), function (el) {
      var n = counts[el.getAttribute('data-count')];
      if (typeof n === 'number') el.textContent = String(n);
    });
  }

  var source = new EventSource(table.getAttribute('data-events'));
  var ended = false;
  function end() {
    if (ended) return;
    ended = true;
    source.close();
    setNotice(notice.getAttribute('data-ended'), notice.getAttribute('data-sign-in'), '/desk/login?next=' + encodeURIComponent(location.pathname + location.search));
    notice.classList.add('ended');
  }

  source.addEventListener('open', function () {
    if (notice.classList.contains('offline')) {
      notice.classList.remove('offline');
      notice.hidden = waiting === 0;
      if (waiting > 0) showWaiting();
    }
  });
  source.addEventListener('ticket', function (event) {
    var data = JSON.parse(event.data);
    updateCounts(data.counts);
    var existing = document.getElementById('row-' + data.ticket.id);
    if (existing) {
      if (Number(existing.getAttribute('data-version')) >= data.ticket.version) return;
      var changed = toRow(data.row);
      changed.classList.add('changed');
      existing.replaceWith(changed);
      announce(data.updated);
      return;
    }
    if (data.matches === false) return;
    if (firstPage && data.matches === true) {
      var row = toRow(data.row);
      row.classList.add('fresh');
      tbody.insertBefore(row, tbody.firstChild);
      var empty = document.getElementById('queue-empty');
      if (empty) empty.hidden = true;
    } else {
      waiting += 1;
      showWaiting();
    }
    announce(data.added);
  });
  source.addEventListener('end', end);
  source.addEventListener('error', function () {
    if (source.readyState === EventSource.CLOSED) end();
    else if (!ended) {
      notice.classList.add('offline');
      setNotice(notice.getAttribute('data-offline'));
    }
  });
})();
