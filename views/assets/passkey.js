/*
 * Completes the passkey forms (views/pages/staff/auth/PasskeyCeremony.tsx): runs the WebAuthn
 * ceremony with the SimpleWebAuthn browser library (served from /assets, no CDN), puts the browser's
 * result in the form's hidden `response` field and submits the form, a normal POST with its CSRF
 * token. The server verifies everything; this file only carries the result.
 * Without WebAuthn support the form keeps its notice and its button stays hidden.
 */
(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;
  var forms = document.querySelectorAll('form[data-passkey]');
  if (!lib || !lib.browserSupportsWebAuthn()) return;

  Array.prototype.forEach.call(forms, function (form) {
    var notice = form.querySelector('[data-passkey-unsupported]');
    var ready = form.querySelector('[data-passkey-ready]');
    var status = form.querySelector('[data-passkey-status]');
    var button = form.querySelector('button[type=submit]');
    var responseField = form.querySelector('input[name=response]');
    var nameField = form.querySelector('input[name=name]');
    if (notice) notice.hidden = true;
    if (ready) ready.hidden = false;

    var say = function (text, isError) {
      if (!status) return;
      status.textContent = '';
      if (!text) return;
      var p = document.createElement('p');
      p.className = isError ? 'error-message' : 'hint';
      p.textContent = text;
      status.appendChild(p);
    };

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      // A passkey needs a name of 60 characters at most: otherwise the server answers with its error
      // summary, and no passkey is created on the device for nothing.
      var name = nameField ? nameField.value.trim() : null;
      if (name !== null && (name === '' || name.length > 60)) {
        form.submit();
        return;
      }
      var options;
      try {
        options = JSON.parse(form.getAttribute('data-options'));
      } catch (e) {
        say(form.getAttribute('data-msg-unavailable'), true);
        return;
      }
      button.disabled = true;
      say(form.getAttribute('data-msg-working'), false);
      var ceremony =
        form.getAttribute('data-passkey') === 'register' ? lib.startRegistration({ optionsJSON: options }) : lib.startAuthentication({ optionsJSON: options });
      ceremony.then(
        function (result) {
          responseField.value = JSON.stringify(result);
          form.submit();
        },
        function (error) {
          button.disabled = false;
          var name = error && error.name;
          var message =
            name === 'NotAllowedError' || name === 'AbortError'
              ? 'data-msg-cancelled'
              : name === 'InvalidStateError'
                ? 'data-msg-already'
                : 'data-msg-unavailable';
          say(form.getAttribute(message), true);
        },
      );
    });
  });
})();
