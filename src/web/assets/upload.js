/* global document, window */
// kneecheck web: "Add runs from files" (src/web/pages/import-card.ts). Progressive enhancement
// only: without this file the card is a plain form posting to /import.
(function () {
  'use strict';

  // "Add runs from files": the plain form posts to /import without this file; here the files
  // (picked or dropped) go to /api/import with the form's CSRF token in a header, and the report
  // is drawn below the form from the JSON, with text nodes only (file names are the sender's).
  function uploadForm() {
    var form = document.getElementById('upload-form');
    var out = document.getElementById('import-report');
    if (
      !form ||
      !out ||
      typeof window.fetch !== 'function' ||
      typeof window.FormData !== 'function'
    )
      return;
    var input = form.querySelector('input[type="file"]');
    var zone = form.querySelector('.drop-zone');
    var tokenField = form.querySelector('input[name="csrf"]');
    if (!input || !zone || !tokenField) return;
    var imperial = form.getAttribute('data-units') === 'imperial';
    var runnerZone = form.getAttribute('data-zone');
    var busy = false;
    form.classList.add('enhanced');

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text != null) e.textContent = text;
      return e;
    }
    function plural(n, one) {
      return n + ' ' + (n === 1 ? one : one + 's');
    }
    function distance(m) {
      if (m == null) return '–';
      return imperial ? (m / 1609.344).toFixed(1) + ' mi' : (m / 1000).toFixed(1) + ' km';
    }
    function when(iso) {
      var at = new Date(iso);
      if (isNaN(at.getTime())) return iso;
      var opts = { dateStyle: 'medium', timeStyle: 'short' };
      // In the runner's zone, as the pages show times (the browser's may differ).
      if (runnerZone) opts.timeZone = runnerZone;
      try {
        return new Intl.DateTimeFormat(undefined, opts).format(at);
      } catch {
        return at.toLocaleString();
      }
    }
    function runLink(id, text) {
      var a = el('a', null, text);
      a.href = '/runs/' + encodeURIComponent(id);
      return a;
    }
    function section(box, cls, title, items, fill) {
      if (!items || items.length === 0) return;
      box.appendChild(el('h3', null, title));
      var ul = el('ul', 'report-list ' + cls);
      items.forEach(function (item) {
        var li = el('li');
        li.appendChild(el('span', 'file', item.file));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(fill(item));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    function show(box) {
      out.textContent = '';
      out.appendChild(box);
    }
    function message(text, cls) {
      var box = el('div', 'import-report');
      box.appendChild(el('p', cls, text));
      show(box);
    }
    function render(r) {
      var box = el('div', 'import-report');
      box.appendChild(
        el(
          'p',
          'report-summary',
          'Imported ' +
            plural(r.imported.length, 'run') +
            ', ' +
            plural(r.duplicates.length, 'duplicate') +
            ', ' +
            r.skipped.length +
            ' skipped, ' +
            r.failed.length +
            ' failed.',
        ),
      );
      section(box, 'imported', 'Imported', r.imported, function (i) {
        return runLink(
          i.run.id,
          'run of ' + when(i.run.startTime) + ', ' + distance(i.run.distanceM),
        );
      });
      section(box, 'duplicates', 'Already stored', r.duplicates, function (d) {
        return runLink(d.of, 'the run stored before');
      });
      section(box, 'skipped', 'Skipped', r.skipped, function (s) {
        return el('span', 'why', s.reason);
      });
      section(box, 'failed', 'Failed', r.failed, function (f) {
        return el('span', 'why', f.error);
      });
      if (r.imported.length > 0) {
        var again = el('p');
        var a = el('a', 'button', 'Show the new runs');
        a.href = '/';
        again.appendChild(a);
        box.appendChild(again);
      }
      show(box);
    }
    function send(files) {
      if (busy || !files || files.length === 0) return;
      busy = true;
      var data = new FormData();
      for (var i = 0; i < files.length; i++) data.append('files', files[i], files[i].name);
      form.classList.add('busy');
      message('Importing ' + plural(files.length, 'file') + '…', 'muted');
      window
        .fetch(form.getAttribute('data-api') || '/api/import', {
          method: 'POST',
          headers: { 'X-CSRF-Token': tokenField.value, Accept: 'application/json' },
          body: data,
          credentials: 'same-origin',
        })
        .then(function (res) {
          return res.json().then(
            function (body) {
              if (res.ok) render(body);
              else message(body.error || 'The upload was refused (' + res.status + ').', 'error');
            },
            function () {
              message('The upload was refused (' + res.status + ').', 'error');
            },
          );
        })
        .catch(function () {
          message('The files did not reach kneecheck: is it still running? Try again.', 'error');
        })
        .then(function () {
          busy = false;
          form.classList.remove('busy');
          input.value = '';
        });
    }
    input.addEventListener('change', function () {
      send(input.files);
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      send(input.files);
    });
    function hasFiles(e) {
      var types = e.dataTransfer && e.dataTransfer.types;
      return !!types && Array.prototype.indexOf.call(types, 'Files') >= 0;
    }
    ['dragenter', 'dragover'].forEach(function (name) {
      zone.addEventListener(name, function (e) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        zone.classList.add('over');
      });
    });
    zone.addEventListener('dragleave', function (e) {
      if (!zone.contains(e.relatedTarget)) zone.classList.remove('over');
    });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer) send(e.dataTransfer.files);
    });
    // A file dropped beside the zone must not make the browser leave the dashboard to open it.
    ['dragover', 'drop'].forEach(function (name) {
      document.addEventListener(name, function (e) {
        if (hasFiles(e)) e.preventDefault();
      });
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', uploadForm);
  else uploadForm();
})();
