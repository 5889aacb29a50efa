// Progressive enhancement of the reply form: the page works without it.
// 1. Autosave: what she types is sent to the server every 10 s while it changes, so a dropped connection or a
//    closed tab loses nothing (the "Save draft" button does the same without JavaScript).
// 2. Mentions: after "@" and two letters, a list of handles of members she may see (from the server).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var body = form.querySelector("textarea[name=body]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!body || !token) return;

  var last = body.value;
  var status = document.createElement("p");
  status.className = "meta";
  status.setAttribute("role", "status");
  body.parentNode.appendChild(status);

  function save() {
    if (body.value === last) return;
    var text = body.value;
    var data = new FormData();
    data.append("body", text);
    fetch(form.dataset.autosave, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": token.value },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.ok) {
        last = text;
        status.textContent = form.dataset.savedText || "Draft saved";
      }
    }).catch(function () {});
  }
  setInterval(save, 10000);

  var list = document.createElement("ul");
  list.id = "mention-suggestions";
  list.className = "mention-suggestions";
  list.hidden = true;
  list.setAttribute("role", "listbox");
  body.parentNode.appendChild(list);
  body.setAttribute("aria-controls", list.id);

  function currentMention() {
    var before = body.value.slice(0, body.selectionStart);
    var match = /(^|\s)@([A-Za-z0-9._-]{2,30})$/.exec(before);
    return match ? match[2] : null;
  }

  function insert(handle) {
    var start = body.selectionStart;
    var before = body.value.slice(0, start).replace(/@[A-Za-z0-9._-]*$/, "@" + handle + " ");
    body.value = before + body.value.slice(start);
    body.focus();
    body.selectionStart = body.selectionEnd = before.length;
    list.hidden = true;
  }

  var pending = null;
  body.addEventListener("input", function () {
    var prefix = currentMention();
    if (!prefix) { list.hidden = true; return; }
    clearTimeout(pending);
    pending = setTimeout(function () {
      fetch(form.dataset.mentions + "?q=" + encodeURIComponent(prefix), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.innerHTML = "";
          data.results.forEach(function (person) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = "@" + person.handle + " — " + person.name;
            button.addEventListener("click", function () { insert(person.handle); });
            item.appendChild(button);
            list.appendChild(item);
          });
          list.hidden = data.results.length === 0;
        }).catch(function () {});
    }, 250);
  });
})();
