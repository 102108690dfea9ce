// publisher serve: drag and drop onto the file field, and upload progress. The form works
// the same without this file; nothing here reads the file's content.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("envoi");
  if (!form) return;
  const zone = document.getElementById("depot");
  const input = document.getElementById("fichier");
  const progress = document.getElementById("progression");
  const bar = document.getElementById("barre");
  const state = document.getElementById("etat");

  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    event.preventDefault();
    zone.classList.add("survol");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, () => zone.classList.remove("survol")));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer.files.length) input.files = event.dataTransfer.files;
  });

  form.addEventListener("submit", (event) => {
    if (!window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action"));  // form.action is the button named so
    progress.hidden = false;
    request.upload.addEventListener("progress", (step) => {
      if (!step.lengthComputable) return;
      bar.value = Math.round((100 * step.loaded) / step.total);
      state.textContent = bar.value + " %";
    });
    request.upload.addEventListener("load", () => {
      bar.removeAttribute("value");
      state.textContent = progress.dataset.checking;
    });
    request.addEventListener("load", () => {
      if (request.status < 400) {
        window.location.assign(request.responseURL);
        return;
      }
      const page = new DOMParser().parseFromString(request.responseText, "text/html");
      document.title = page.title;
      document.querySelector("main").replaceWith(page.querySelector("main"));
      document.querySelector("h1").replaceWith(page.querySelector("h1"));
      document.querySelector("main").focus();
    });
    request.addEventListener("error", () => {
      state.textContent = progress.dataset.failed;
    });
    request.send(new FormData(form, event.submitter));
  });
});
