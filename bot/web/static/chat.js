// The web chat: sends each question to api/ask and shows the answer as text (never as HTML).
// Links in answers become <a> elements built here, only for http(s) addresses; clarify
// suggestions (after a question back or an answer the bot does not know) become buttons that ask them;
// an answer about a network gets 👍/👎 (api/rate). The page opens with a greeting and a button per network,
// as /start does in Telegram. The interface follows the script of the last question.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("texts").textContent);
  const texts = { cyrillic: data.cyrillic, latin: data.latin };
  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const send = document.getElementById("send");
  const LINK = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;
  let script = "cyrillic";
  let conversation = sessionStorage.getItem("conversation");

  function t(key) {
    return texts[script][key] || texts.cyrillic[key] || "";
  }

  function useScript(next) {
    if (!texts[next] || next === script) return;
    script = next;
    document.documentElement.lang = script === "latin" ? "sr-Latn" : "sr-Cyrl";
    document.title = t("title");
    document.getElementById("title").textContent = t("title");
    document.getElementById("intro").textContent = t("intro");
    document.getElementById("question-label").textContent = t("placeholder");
    input.placeholder = t("placeholder");
    send.textContent = t("send");
  }

  function withLinks(element, text) {
    let last = 0;
    for (const match of text.matchAll(LINK)) {
      element.append(text.slice(last, match.index));
      const link = document.createElement("a");
      link.href = match[0];
      link.textContent = match[0];
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      element.append(link);
      last = match.index + match[0].length;
    }
    element.append(text.slice(last));
  }

  function addMessage(kind, text) {
    const message = document.createElement("div");
    message.className = "message " + kind;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = (kind === "user" ? t("you") : t("assistant")) + ": ";
    message.append(who);
    if (kind === "user") message.append(text);
    else withLinks(message, text);
    log.append(message);
    message.scrollIntoView({ block: "end" });
    return message;
  }

  function addSuggestions(message, suggestions) {
    // Each is a question, or {label, question}: a button that shows the label and asks the question.
    if (!suggestions.length) return;
    const list = document.createElement("div");
    list.className = "suggestions";
    for (const suggestion of suggestions) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = suggestion.label || suggestion;
      button.addEventListener("click", () => ask(suggestion.question || suggestion));
      list.append(button);
    }
    message.append(list);
  }

  function greet() {
    const message = addMessage("bot", t("start"));
    addSuggestions(message, data.networks[script] || []);
  }

  function addRating(message, answer) {
    if (!answer.answer_id) return; // the server gives an id to the answers that can be rated

    const rating = document.createElement("div");
    rating.className = "rating";
    for (const [key, helpful] of [["helpful", true], ["unhelpful", false]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = t(key);
      button.addEventListener("click", async () => {
        const body = { conversation: answer.conversation, answer_id: answer.answer_id, helpful: helpful };
        const sent = await fetch("api/rate", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        }).catch(() => null);
        if (!sent || (!sent.ok && sent.status !== 409)) return; // the buttons stay: it can be tried again
        rating.replaceChildren(t("thanks"));
        input.focus();
      });
      rating.append(button);
    }
    message.append(rating);
  }

  function scriptOf(question) {
    // The server decides for the answer; this is for a reply that never came (the "failed" line).
    if (/[\u0400-\u04FF]/.test(question)) return "cyrillic";
    if (/[A-Za-z]/.test(question)) return "latin";
    return script;
  }

  async function ask(question) {
    useScript(scriptOf(question));
    addMessage("user", question);
    const body = { question: question };
    if (conversation) body.conversation = conversation;
    let reply;
    try {
      reply = await fetch("api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (error) {
      reply = null;
    }
    if (!reply || !reply.ok) {
      addMessage("bot failed", t(reply && reply.status === 429 ? "busy" : "failed"));
      return false;
    }
    const answer = await reply.json();
    conversation = answer.conversation;
    sessionStorage.setItem("conversation", conversation);
    useScript(answer.script);
    const message = addMessage("bot", answer.answer);
    addSuggestions(message, answer.suggestions);
    addRating(message, answer);
    return true;
  }

  greet();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = input.value;
    if (!question.trim()) return;
    input.value = "";
    const answered = await ask(question);
    if (!answered && !input.value) input.value = question; // nothing is lost: send it again
    input.focus();
  });
})();
