// "Listen": reads the page's main content aloud in the page's language with the browser's own
// speech synthesis (nothing sent to a server, nothing downloaded). The button stays hidden where
// the browser has no voice for that language.
(function () {
  "use strict";
  const button = document.querySelector(".listen-button");
  if (!button || !("speechSynthesis" in window)) return;
  const lang = button.dataset.lang || document.documentElement.lang || "en";
  const synth = window.speechSynthesis;
  let voice = null;

  function findVoice() {
    const voices = synth.getVoices();
    voice = voices.find((v) => v.lang.toLowerCase().startsWith(lang + "-in")) ||
      voices.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === lang) || null;
    button.hidden = voice === null;
  }

  function mainText() {
    const main = document.querySelector("main");
    if (!main) return "";
    const copy = main.cloneNode(true);
    copy.querySelectorAll(".language-picker, script, style, [hidden], .visually-hidden, input[type=hidden]")
      .forEach((node) => node.remove());
    return copy.innerText || copy.textContent || "";
  }

  function chunks(text) {
    // Short utterances: some engines stop after about 200 characters.
    return text.split(/(?<=[.!?।\n])\s+/).map((s) => s.trim()).filter((s) => s.length > 0);
  }

  const label = button.querySelector(".listen-label") || button;

  function stop() {
    synth.cancel();
    label.textContent = button.dataset.listenLabel;
    button.setAttribute("aria-pressed", "false");
  }

  button.addEventListener("click", function () {
    if (synth.speaking) { stop(); return; }
    const parts = chunks(mainText());
    parts.forEach((part, index) => {
      const utterance = new SpeechSynthesisUtterance(part);
      utterance.lang = voice ? voice.lang : lang;
      if (voice) utterance.voice = voice;
      if (index === parts.length - 1) utterance.onend = stop;
      synth.speak(utterance);
    });
    label.textContent = button.dataset.stopLabel;
    button.setAttribute("aria-pressed", "true");
  });

  findVoice();
  if (typeof synth.addEventListener === "function") synth.addEventListener("voiceschanged", findVoice);
})();
