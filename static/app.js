// Progressive enhancement only: every form works without this script.
// 1. Place fields (data-places) suggest Dutch places from /api/v1/places as you type.
// 2. A "use my location" button (data-geolocate) fills latitude/longitude fields.
// 3. Ticked first-aid steps are remembered in this browser for the page.
(function () {
  "use strict";

  function placeSuggestions(input) {
    var list = document.createElement("ul");
    list.className = "suggestions";
    list.id = input.id + "-suggestions";
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { list.hidden = true; return; }
      timer = setTimeout(function () {
        fetch("/api/v1/places?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (places) {
            // A slow answer for what was typed before must not replace the current one.
            if (input.value.trim() !== q) { return; }
            list.textContent = "";
            places.slice(0, 8).forEach(function (p) {
              var li = document.createElement("li");
              var b = document.createElement("button");
              b.type = "button";
              b.textContent = p.name + " (" + p.municipality + ", " + p.province + ")";
              b.addEventListener("click", function () {
                input.value = p.unambiguous_name || p.name; list.hidden = true; input.focus();
              });
              li.appendChild(b);
              list.appendChild(li);
            });
            list.hidden = places.length === 0;
          })
          .catch(function () { list.hidden = true; });
      }, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { list.hidden = true; }
    });
  }

  function geolocate(button) {
    if (!("geolocation" in navigator)) { button.hidden = true; return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var form = button.form;
      var status = document.getElementById(button.getAttribute("aria-describedby") || "");
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(5);
        form.querySelector("[name=lon]").value = pos.coords.longitude.toFixed(5);
        if (status) { status.textContent = button.getAttribute("data-done") || ""; }
      }, function () {
        if (status) { status.textContent = button.getAttribute("data-failed") || ""; }
      }, { timeout: 10000, maximumAge: 600000 });
    });
  }

  function rememberSteps(list) {
    var key = "hh-steps:" + location.pathname;
    var saved = {};
    try { saved = JSON.parse(sessionStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    list.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (saved[box.id]) { box.checked = true; }
      box.addEventListener("change", function () {
        saved[box.id] = box.checked;
        try { sessionStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* private mode */ }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-places]").forEach(placeSuggestions);
    document.querySelectorAll("button[data-geolocate]").forEach(geolocate);
    document.querySelectorAll("ol.steps").forEach(rememberSteps);
  });
})();
