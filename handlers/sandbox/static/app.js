// phigate sandbox chat: plain JavaScript, no build step, no outside requests.
// Every piece of draft text is put into the page with textContent (never as HTML).
"use strict";

(() => {
  const USER_HEADER = "X-Phigate-User";
  const DRAFTS = "social-drafts";
  const INCIDENTS = "incidents";
  const REPORT_KEY = "incidents|new";
  const CATEGORY_CHOICES = [
    "PATIENT_RELATIONSHIP",
    "NAME",
    "DATE",
    "CLINICAL_DETAIL",
    "GEOGRAPHIC_LOCATION",
    "FULL_FACE_PHOTO",
    "THIRD_PARTY_DISCLOSURE",
    "STAFF_DISCLOSURE",
  ];
  const OUTCOME_LABEL = {
    no_breach: "Low probability of compromise: not a reportable breach",
    breach_notified: "Breach: individuals notified (and HHS as required)",
    not_phi: "On review, no PHI was disclosed",
    other: "Other (documented in the privacy office's records)",
  };
  const OFFICER_STEPS = new Set(["risk_assessment_started", "patient_contacted"]);
  const POLL_MS = 5000;
  const STORAGE_KEY = "phigate.sandbox.user";
  const EDITABLE = new Set(["pending", "blocked", "rejected", "expired"]);
  const STATUS_LABEL = {
    pending: "Waiting for approval",
    approved: "Approved",
    rejected: "Rejected",
    blocked: "Blocked by the PHI scan",
    expired: "Expired without a decision",
    withdrawn: "Withdrawn by the author",
    posted: "Approved and posted",
  };
  const VERDICT_LABEL = {
    clear: "No PHI found",
    review: "Possible PHI: review carefully",
    block: "PHI found: blocked by the scan",
  };
  const NETWORK_LABEL = {
    facebook: "Facebook",
    instagram: "Instagram",
    x: "X",
    linkedin: "LinkedIn",
    "google-reviews": "Google reviews",
    other: "Other",
  };

  const state = {
    roster: null, // {users, channels, reasons}
    user: null, // "social1"
    me: null, // GET /api/me
    channel: DRAFTS,
    data: null, // GET /sandbox/channels
    loadError: "",
    ui: new Map(), // per message: open panel, typed values, errors, notes
    seq: 0,
    refreshTimer: null,
    flash: null,
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key === "testid") node.dataset.testid = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "value") node.value = value;
      else if (key === "checked") node.checked = Boolean(value);
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function showText(node, text) {
    node.textContent = text || "";
    node.hidden = !text;
  }

  function time(iso) {
    if (!iso) return "";
    const moment = new Date(iso);
    if (Number.isNaN(moment.getTime())) return "";
    return moment.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function initials(name) {
    const words = String(name || "?").replace(/\(.*\)/, "").trim().split(/\s+/);
    return (words[0][0] + (words.length > 1 ? words[words.length - 1][0] : "")).toUpperCase();
  }

  function human(code) {
    return String(code || "").replace(/[_-]+/g, " ");
  }

  function safeLink(url) {
    // Only http(s) links become anchors; anything else stays plain text.
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") {
        return el("a", { href: parsed.href, target: "_blank", rel: "noopener noreferrer" }, url);
      }
    } catch (_) {
      /* not a URL */
    }
    return el("span", {}, url);
  }

  // ---------------------------------------------------------------- API
  class ApiError extends Error {
    constructor(status, error, detail) {
      super(detail ? `${error}: ${detail}` : error);
      this.status = status;
    }
  }

  async function errorOf(response) {
    let error = `HTTP ${response.status} ${response.statusText || ""}`.trim();
    let detail = "";
    try {
      const body = await response.json();
      if (body && typeof body.error === "string") {
        error = body.error;
        detail = typeof body.detail === "string" ? body.detail : "";
      }
    } catch (_) {
      /* not JSON */
    }
    return new ApiError(response.status, error, detail);
  }

  async function request(method, path, body, headers) {
    const sent = { Accept: "application/json", ...(headers || {}) };
    if (state.user) sent[USER_HEADER] = state.user;
    const init = { method, headers: sent, cache: "no-store", credentials: "same-origin" };
    if (body !== undefined) {
      sent["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    try {
      return await fetch(path, init);
    } catch (_) {
      throw new ApiError(0, "the server could not be reached", "is phigate serve still running?");
    }
  }

  async function api(method, path, body, headers) {
    const response = await request(method, path, body, headers);
    if (!response.ok) throw await errorOf(response);
    return response.json();
  }

  function requestKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    return `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  }

  // ---------------------------------------------------------------- state helpers
  function ui(key) {
    if (!state.ui.has(key)) state.ui.set(key, { panel: "", values: {}, error: "", note: "", busy: false });
    return state.ui.get(key);
  }

  function groupOf(channel) {
    return channel.endsWith("-review") ? channel.slice(0, -"-review".length) : "";
  }

  function myGroups() {
    return (state.data && state.data.groups) || (state.me && state.me.groups) || [];
  }

  function userById(id) {
    const plain = String(id || "").replace(/^sandbox:/, "");
    return ((state.roster && state.roster.users) || []).find((user) => user.id === plain);
  }

  function itemsOf(channel) {
    return (state.data && state.data.channels && state.data.channels[channel]) || [];
  }

  function progressLine(approvals) {
    return (approvals || [])
      .map((entry) => {
        const label = entry.group.charAt(0).toUpperCase() + entry.group.slice(1);
        if (entry.skipped) return `${label} – not needed`;
        return `${label} ${entry.done ? "✓" : "⏳"} ${entry.approved_by.length}/${entry.required}`;
      })
      .join(" · ");
  }

  // ---------------------------------------------------------------- loading
  async function refresh() {
    if (!state.user) return;
    const seq = ++state.seq;
    const user = state.user;
    try {
      const data = await api("GET", "/sandbox/channels");
      if (seq !== state.seq || user !== state.user) return;
      state.data = data;
      state.loadError = "";
      document.body.dataset.user = user;
    } catch (error) {
      if (seq !== state.seq || user !== state.user) return;
      state.loadError = `Could not load the channels: ${error.message}`;
    }
    render();
  }

  function scheduleRefresh() {
    if (state.refreshTimer) return;
    state.refreshTimer = setTimeout(() => {
      state.refreshTimer = null;
      refresh();
    }, 50);
  }

  function connectEvents() {
    if (!window.EventSource) {
      setLive(false, "Live updates unavailable; refreshing every 5 s");
      return;
    }
    const source = new EventSource("/sandbox/events");
    source.addEventListener("open", () => {
      setLive(true);
      scheduleRefresh();
    });
    source.addEventListener("message", () => scheduleRefresh());
    source.addEventListener("error", () => setLive(false, "Reconnecting… (refreshing every 5 s)"));
  }

  function setLive(on, text) {
    document.body.dataset.live = on ? "on" : "off";
    $("live-text").textContent = on ? "Live" : text || "Offline";
  }

  async function switchUser(user) {
    state.user = user;
    state.ui.clear();
    state.data = null;
    state.me = null;
    delete document.body.dataset.user;
    try {
      localStorage.setItem(STORAGE_KEY, user);
    } catch (_) {
      /* storage disabled */
    }
    render();
    try {
      const me = await api("GET", "/api/me");
      if (state.user === user) state.me = me;
    } catch (error) {
      state.loadError = `Could not switch user: ${error.message}`;
    }
    await refresh();
  }

  function selectChannel(channel) {
    state.channel = channel;
    if (location.hash !== `#${channel}`) history.replaceState(null, "", `#${channel}`);
    render();
    scrollToBottom(true);
  }

  // ---------------------------------------------------------------- rendering
  function render() {
    renderSidebar();
    renderMain();
  }

  function renderSidebar() {
    const roster = state.roster;
    if (!roster) return;
    const select = $("user-select");
    if (!select.options.length) {
      for (const user of roster.users) {
        select.append(el("option", { value: user.id }, user.name));
      }
    }
    select.value = state.user || "";
    const current = userById(state.user);
    $("user-info").textContent = current
      ? `@${current.id} · ${current.groups.length ? `group: ${current.groups.join(", ")}` : "no group"}`
      : "";

    // The buttons are built once and updated in place: a live update that replaced them between a
    // click's press and release would swallow the click.
    const list = $("channel-list");
    const key = roster.channels.join("\n");
    if (list.dataset.channels !== key) {
      list.replaceChildren(
        ...roster.channels.map((channel) =>
          el(
            "li",
            {},
            el(
              "button",
              { type: "button", class: "channel", testid: `channel-${channel}`, onclick: () => selectChannel(channel) },
              el("span", { class: "hash", "aria-hidden": "true" }, "#"),
              el("span", { class: "channel-name" }, channel)
            )
          )
        )
      );
      list.dataset.channels = key;
    }
    roster.channels.forEach((channel, index) => {
      const button = list.children[index].firstElementChild;
      const pending = itemsOf(channel).filter((item) => item.status === "pending").length;
      const mine = groupOf(channel) && myGroups().includes(groupOf(channel));
      button.className = `channel${channel === state.channel ? " active" : ""}${mine ? " mine" : ""}`;
      if (channel === state.channel) button.setAttribute("aria-current", "page");
      else button.removeAttribute("aria-current");
      const count = button.querySelector(".count");
      if (!pending) {
        if (count) count.remove();
      } else if (count) {
        count.textContent = String(pending);
        count.setAttribute("aria-label", `${pending} pending`);
      } else {
        button.append(
          el(
            "span",
            { class: "count", testid: `channel-count-${channel}`, "aria-label": `${pending} pending` },
            String(pending)
          )
        );
      }
    });
  }

  function renderMain() {
    const channel = state.channel;
    const group = groupOf(channel);
    $("channel-title").textContent = `# ${channel}`;
    $("channel-topic").textContent = group
      ? `Review cards for ${group}. Cards show the redacted preview; decisions update every channel live.`
      : channel === INCIDENTS
        ? "A posted reply disclosed PHI? Report it here; legal, comms and the privacy officer work the checklist."
        : "The social team pastes replies here; phigate scans each one and sends it to the approvers.";
    showText($("load-error"), state.loadError);

    const submitter = Boolean(state.me && state.me.may_submit);
    $("composer").hidden = channel !== DRAFTS || !submitter;
    $("composer-note").hidden = channel !== DRAFTS || submitter || !state.me;

    const list = $("messages");
    list.dataset.channel = channel;
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const items = itemsFor(channel);
    const focus = rememberFocus();

    const existing = new Map();
    for (const node of list.children) if (node.dataset.key) existing.set(node.dataset.key, node);
    const wanted = items.map((item) => {
      const id = channel === DRAFTS || isIncident(item) ? item.id : item.draft_id;
      const key = `${channel}|${id}`;
      const view = ui(key);
      const signature = JSON.stringify([
        item,
        state.user,
        myGroups(),
        view.panel,
        view.error,
        view.note,
        view.busy,
        view.fullText || null,
        state.flash === id,
      ]);
      const old = existing.get(key);
      if (old && old.dataset.signature === signature) return old;
      const node =
        channel === DRAFTS
          ? draftMessage(item, key)
          : item.id === "new"
            ? reportForm(key)
            : isIncident(item)
              ? incidentCard(item, key)
              : reviewCard(item, key, channel);
      node.dataset.key = key;
      node.dataset.signature = signature;
      return node;
    });
    if (!wanted.length) {
      list.replaceChildren(
        el(
          "p",
          { class: "empty", testid: "empty" },
          !state.data
            ? "Loading…"
            : channel === DRAFTS
              ? "No drafts yet. Paste a reply below to scan it."
              : channel === INCIDENTS
                ? "No incidents reported."
                : "No review cards in this channel yet."
        )
      );
    } else {
      const same =
        wanted.length === list.children.length && wanted.every((node, index) => list.children[index] === node);
      if (!same) {
        const current = [...list.children];
        const sameOrder =
          current.length === wanted.length &&
          current.every((node, index) => node.dataset.key === wanted[index].dataset.key);
        if (sameOrder) current.forEach((node, index) => node !== wanted[index] && node.replaceWith(wanted[index]));
        else list.replaceChildren(...wanted);
      }
    }
    restoreFocus(focus);
    if (nearBottom) scrollToBottom(false);
  }

  function scrollToBottom(always) {
    const list = $("messages");
    if (always || list.scrollHeight - list.scrollTop - list.clientHeight < 80) list.scrollTop = list.scrollHeight;
  }

  function rememberFocus() {
    const active = document.activeElement;
    if (!active || !active.dataset || !active.dataset.testid) return null;
    const holder = active.closest("[data-key]");
    if (!holder) return null;
    return {
      key: holder.dataset.key,
      testid: active.dataset.testid,
      start: active.selectionStart,
      end: active.selectionEnd,
      isNew: () => !document.body.contains(active),
    };
  }

  function restoreFocus(focus) {
    if (!focus || !focus.isNew()) return;
    const holder = [...$("messages").children].find((node) => node.dataset.key === focus.key);
    const target = holder && holder.querySelector(`[data-testid="${CSS.escape(focus.testid)}"]`);
    if (!target) return;
    target.focus();
    if (typeof focus.start === "number" && typeof target.setSelectionRange === "function") {
      try {
        target.setSelectionRange(focus.start, focus.end);
      } catch (_) {
        /* not a text field */
      }
    }
  }

  // Highlight findings on the text. Offsets count Unicode code points (as Python does).
  function highlighted(text, findings) {
    const chars = Array.from(text || "");
    const size = chars.length;
    const spans = (findings || [])
      .map((finding) => ({
        category: finding.category,
        start: Math.max(0, Math.min(size, Number(finding.start) || 0)),
        end: Math.max(0, Math.min(size, Number(finding.end) || 0)),
      }))
      .filter((span) => span.end > span.start);
    const cuts = new Set([0, size]);
    for (const span of spans) {
      cuts.add(span.start);
      cuts.add(span.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const parts = [];
    for (let index = 0; index < points.length - 1; index += 1) {
      const start = points[index];
      const end = points[index + 1];
      const piece = chars.slice(start, end).join("");
      const categories = [...new Set(spans.filter((s) => s.start <= start && s.end >= end).map((s) => s.category))];
      if (!categories.length) {
        parts.push(document.createTextNode(piece));
        continue;
      }
      const label = categories.join(", ");
      const mark = el(
        "mark",
        {
          class: `finding cat-${categories.length > 1 ? "multi" : categories[0].toLowerCase()}`,
          title: label,
          testid: "highlight",
          dataset: { category: label },
        },
        piece
      );
      // The category label follows the last piece of each finding (drawn by CSS, so the text stays the text).
      const ending = spans.filter((s) => s.end === end).map((s) => s.category);
      if (ending.length) mark.dataset.label = [...new Set(ending)].join(" · ");
      parts.push(mark);
    }
    return parts;
  }

  function findingList(findings, text) {
    if (!findings || !findings.length) return null;
    const chars = text ? Array.from(text) : null;
    return el(
      "ul",
      { class: "findings", testid: "findings", "aria-label": "Findings" },
      findings.map((finding) =>
        el(
          "li",
          { testid: "finding", dataset: { category: finding.category } },
          el("span", { class: "cat-chip" }, finding.category),
          chars && Number.isInteger(finding.start)
            ? el("q", { class: "quoted" }, chars.slice(finding.start, finding.end).join(""))
            : null,
          el("span", { class: "explanation" }, finding.explanation || "")
        )
      )
    );
  }

  function badge(text, kind, testid) {
    return el("span", { class: `badge badge-${kind}`, testid }, text);
  }

  function feedback(view) {
    return [
      view.error ? el("p", { class: "error", testid: "action-error", role: "alert" }, view.error) : null,
      view.note ? el("p", { class: "note", testid: "action-note", role: "status" }, view.note) : null,
    ];
  }

  // Run an action for one message: busy flag, inline error, refresh afterwards.
  async function act(key, work) {
    const view = ui(key);
    if (view.busy) return;
    view.busy = true;
    view.error = "";
    view.note = "";
    renderMain();
    try {
      const note = await work(view);
      view.note = note || "";
      view.panel = "";
      view.values = {};
    } catch (error) {
      view.error = error.message;
    } finally {
      view.busy = false;
    }
    renderMain();
    await refresh();
  }

  function togglePanel(key, panel, init) {
    const view = ui(key);
    view.error = "";
    view.note = "";
    view.panel = view.panel === panel ? "" : panel;
    if (view.panel && init) init(view);
    renderMain();
    const node = [...$("messages").children].find((child) => child.dataset.key === key);
    const first = node && node.querySelector(".panel textarea, .panel input, .panel select");
    if (first) first.focus();
  }

  function field(view, name, node) {
    if (view.values[name] !== undefined) {
      if (node.type === "checkbox") node.checked = Boolean(view.values[name]);
      else node.value = view.values[name];
    }
    const store = () => {
      view.values[name] = node.type === "checkbox" ? node.checked : node.value;
    };
    node.addEventListener("input", store);
    node.addEventListener("change", store);
    return node;
  }

  function button(label, testid, onclick, kind, extra) {
    return el("button", { type: "button", class: `btn btn-${kind || "default"}`, testid, onclick, ...(extra || {}) }, label);
  }

  // ---------------------------------------------------------------- #incidents
  // The #incidents channel: the report form, then every incident. Review channels show the open
  // incidents above their review cards, as the legal and comms channels do in Slack and Teams.
  function itemsFor(channel) {
    if (channel === INCIDENTS) return incidentRoles().length ? [{ id: "new" }, ...itemsOf(INCIDENTS)] : itemsOf(INCIDENTS);
    if (groupOf(channel)) return [...itemsOf(INCIDENTS).filter((item) => item.status === "open"), ...itemsOf(channel)];
    return itemsOf(channel);
  }

  function isIncident(item) {
    return Array.isArray(item.checklist);
  }

  function incidentRoles() {
    return (state.data && state.data.incident_roles) || [];
  }

  function reportForm(key) {
    const view = ui(key);
    const input = (name, testid, placeholder, type) =>
      field(view, name, el("input", { type: type || "text", class: "input", testid, placeholder, "aria-label": placeholder }));
    const boxes = CATEGORY_CHOICES.map((category) =>
      el(
        "label",
        { class: "check" },
        field(view, `category:${category}`, el("input", { type: "checkbox", testid: `incident-category-${category}` })),
        ` ${category.replace(/_/g, " ").toLowerCase()}`
      )
    );
    const submit = () =>
      act(key, async (values) => {
        const body = {
          link: (values.values.link || "").trim(),
          categories: CATEGORY_CHOICES.filter((category) => values.values[`category:${category}`]),
        };
        if (values.values.draft_id) body.draft_id = values.values.draft_id.trim();
        if (values.values.noticed_by) body.noticed_by = values.values.noticed_by.trim();
        const made = await api("POST", "/api/incidents", body);
        return `Incident ${made.id} opened: legal, comms and the privacy officer see it below.`;
      });
    return el(
      "article",
      { class: "message card incident-report", testid: "incident-report" },
      el("h3", {}, "Report a posted reply that disclosed PHI"),
      input("link", "incident-link", "https://… link to the post", "url"),
      el("div", { class: "checks", role: "group", "aria-label": "What was disclosed" }, "Disclosed: ", ...boxes),
      input("draft_id", "incident-draft", "draft id, if it went through phigate (optional)"),
      input("noticed_by", "incident-noticed-by", "who noticed it (optional; default: you)"),
      button("Report incident", "incident-submit", submit, "primary", { disabled: view.busy }),
      ...feedback(view)
    );
  }

  function incidentCard(item, key) {
    const view = ui(key);
    const roles = incidentRoles();
    const officer = roles.includes("privacy_officer");
    const approver = officer || roles.includes("approvers");
    const open = item.status === "open";
    const tick = (step, notApplicable) =>
      act(key, async (values) => {
        const note = values.values[`note:${step.step}`] || "";
        await api("POST", `/api/incidents/${item.id}/steps/${step.step}`, { note, not_applicable: Boolean(notApplicable) });
        return `${step.label}: ${notApplicable ? "not applicable" : "done"}`;
      });
    const steps = item.checklist.map((step) => {
      if (step.done) {
        const note = step.note ? ` (${step.not_applicable ? "not applicable: " : ""}${step.note})` : "";
        return el("li", { class: "step done", testid: `step-${step.step}` }, `✓ ${step.label} — ${step.by_name} at ${time(step.at)}${note}`);
      }
      const may = open && (OFFICER_STEPS.has(step.step) ? officer : approver);
      const parts = [el("span", {}, `☐ ${step.label}`)];
      if (may && (step.step === "screenshot_preserved" || step.step === "patient_contacted")) {
        const hint = step.step === "screenshot_preserved" ? "reference in the hospital's records" : "note (why not applicable)";
        parts.push(field(view, `note:${step.step}`, el("input", { type: "text", class: "input", testid: `note-${step.step}`, placeholder: hint, "aria-label": hint })));
      }
      if (may) parts.push(button("Done", `tick-${step.step}`, () => tick(step, false), "primary", { disabled: view.busy }));
      if (may && step.step === "patient_contacted") {
        parts.push(button("Not applicable", "tick-patient-not-applicable", () => tick(step, true), "default", { disabled: view.busy }));
      }
      return el("li", { class: "step", testid: `step-${step.step}` }, ...parts);
    });
    const outcomes = Object.entries(OUTCOME_LABEL).map(([value, label]) => el("option", { value }, label));
    const closing =
      open && officer
        ? el(
            "div",
            { class: "close-row" },
            field(view, "outcome", el("select", { testid: "incident-outcome", "aria-label": "Outcome" }, ...outcomes)),
            button("Close incident", "close-incident", () =>
              act(key, async (values) => {
                await api("POST", `/api/incidents/${item.id}/close`, { outcome: values.values.outcome || "no_breach" });
                return "Incident closed.";
              }), "danger", { disabled: view.busy })
          )
        : null;
    const clock = open
      ? `⏱ ${item.days_left} days left to notify (by ${item.breach_notification_deadline.slice(0, 10)})`
      : `Closed: ${OUTCOME_LABEL[item.outcome] || item.outcome}`;
    return el(
      "article",
      { class: `message card incident ${open ? "open" : "closed"}`, testid: `incident-${item.id}` },
      el("header", { class: "card-head" }, el("strong", {}, `Incident ${item.id}`), ` · ${item.network} · `, el("span", { testid: "incident-clock" }, clock)),
      el("p", {}, "Post: ", el("span", { class: "link", testid: "incident-post" }, item.link)),
      el("p", {}, `Disclosed: ${item.categories.join(", ")}`),
      el(
        "p",
        { testid: "incident-origin" },
        item.draft_id ? `Went through phigate as ${item.draft_id}; approved by ${item.approvers.join(", ") || "no one yet"}` : "Not sent through phigate"
      ),
      el("p", {}, `Noticed by ${item.noticed_by}; reported by ${item.reported_by}`),
      el("ul", { class: "checklist" }, ...steps),
      closing,
      ...feedback(view)
    );
  }

  // ---------------------------------------------------------------- #social-drafts
  function draftMessage(draft, key) {
    const view = ui(key);
    const mine = state.data && draft.author && draft.author.id === state.data.me;
    const editable = mine && EDITABLE.has(draft.status);
    const status = draft.status;

    const final = [];
    if (draft.final_approver && (status === "approved" || status === "posted")) {
      final.push(el("p", { class: "final", testid: "final-approver" }, "✔ Final approver: ", el("strong", {}, draft.final_approver.name)));
    }
    if (draft.rejected_by) {
      final.push(
        el(
          "p",
          { class: "final final-rejected", testid: "final-approver" },
          "✖ Rejected by ",
          el("strong", {}, draft.rejected_by.name),
          draft.rejected_by.reason ? ` — reason: ${human(draft.rejected_by.reason)} (${draft.rejected_by.reason})` : ""
        )
      );
    }

    const actions = [];
    const panels = [];
    if (mine) {
      if (editable) {
        actions.push(button("Edit & resubmit", "edit-resubmit", () => togglePanel(key, "resubmit", (v) => (v.values.text = draft.text || "")), "default"));
      }
      if (status === "blocked") {
        actions.push(button("Request override", "request-override", () => togglePanel(key, "override"), "default"));
      }
      if (status === "pending" || status === "blocked") {
        actions.push(button("Withdraw", "withdraw", () => togglePanel(key, "withdraw"), "danger"));
      }
      if (status === "approved") {
        actions.push(button("Mark posted", "mark-posted", () => togglePanel(key, "posted"), "primary"));
      }
    }
    if (view.panel === "resubmit") {
      const text = field(view, "text", el("textarea", { rows: 3, testid: "resubmit-text", id: `${key}-resubmit`, "aria-label": "Edited reply" }));
      panels.push(
        el(
          "div",
          { class: "panel" },
          el("label", { for: `${key}-resubmit` }, "Edited reply (scanned again as a new version)"),
          text,
          el(
            "div",
            { class: "panel-actions" },
            button("Resubmit", "resubmit", () =>
              act(key, async () => {
                const result = await api("POST", `/api/drafts/${encodeURIComponent(draft.id)}/versions`, { text: text.value });
                return `Resubmitted as version ${result.version}: ${VERDICT_LABEL[result.verdict] || result.verdict}`;
              }), "primary", { disabled: view.busy }),
            button("Cancel", "cancel", () => togglePanel(key, "resubmit"))
          )
        )
      );
    }
    if (view.panel === "override") {
      const reason = field(view, "justification", el("textarea", { rows: 2, testid: "override-justification", id: `${key}-override`, placeholder: "Why should this reply go out despite the scan?" }));
      panels.push(
        el(
          "div",
          { class: "panel" },
          el("label", { for: `${key}-override` }, "Justification for legal (required)"),
          reason,
          el(
            "div",
            { class: "panel-actions" },
            button("Send for override", "send-override", () =>
              act(key, async () => {
                await api("POST", `/api/drafts/${encodeURIComponent(draft.id)}/override`, { justification: reason.value });
                return "Sent to the approvers with your justification; legal must acknowledge the override.";
              }), "primary", { disabled: view.busy }),
            button("Cancel", "cancel", () => togglePanel(key, "override"))
          )
        )
      );
    }
    if (view.panel === "withdraw") {
      panels.push(
        el(
          "div",
          { class: "panel panel-inline" },
          el("span", {}, "Withdraw this draft? Approvers will see it as withdrawn."),
          button("Yes, withdraw", "confirm-withdraw", () =>
            act(key, async () => {
              await api("POST", `/api/drafts/${encodeURIComponent(draft.id)}/withdraw`, {});
              return "Withdrawn.";
            }), "danger", { disabled: view.busy }),
          button("Cancel", "cancel", () => togglePanel(key, "withdraw"))
        )
      );
    }
    if (view.panel === "posted") {
      const link = field(view, "link", el("input", { type: "url", testid: "posted-link", id: `${key}-posted`, placeholder: "https://…" }));
      panels.push(
        el(
          "div",
          { class: "panel" },
          el("label", { for: `${key}-posted` }, "Link to the live reply"),
          link,
          el(
            "div",
            { class: "panel-actions" },
            button("Save link", "save-posted", () =>
              act(key, async () => {
                await api("POST", `/api/drafts/${encodeURIComponent(draft.id)}/posted`, { link: link.value });
                return "Marked as posted.";
              }), "primary", { disabled: view.busy }),
            button("Cancel", "cancel", () => togglePanel(key, "posted"))
          )
        )
      );
    }

    const suggestion =
      draft.suggestion && draft.verdict !== "clear"
        ? el(
            "div",
            { class: "suggestion", testid: "suggestion" },
            el("div", { class: "suggestion-title" }, "Suggested safe reply"),
            el("p", { class: "suggestion-text", testid: "suggestion-text" }, draft.suggestion),
            editable
              ? button("Use this reply", "use-suggestion", () =>
                  act(key, async () => {
                    const result = await api("POST", `/api/drafts/${encodeURIComponent(draft.id)}/versions`, { text: draft.suggestion });
                    return `Resubmitted the suggested reply as version ${result.version}: ${VERDICT_LABEL[result.verdict] || result.verdict}`;
                  }), "primary", { disabled: view.busy })
              : null
          )
        : null;

    const progress = status === "pending" || status === "approved" || status === "posted" ? progressLine(draft.approvals) : "";

    return el(
      "article",
      {
        class: `msg draft status-${status}${state.flash === draft.id ? " flash" : ""}`,
        testid: `draft-${draft.id}`,
        dataset: { draftId: draft.id, status, verdict: draft.verdict },
        "aria-label": `Draft ${draft.id}`,
      },
      el("div", { class: "avatar", "aria-hidden": "true" }, initials(draft.author && draft.author.name)),
      el(
        "div",
        { class: "msg-body" },
        el(
          "header",
          { class: "msg-head" },
          el("strong", { class: "author" }, draft.author ? draft.author.name : ""),
          el("time", { datetime: draft.created_at || "" }, time(draft.created_at)),
          el("span", { class: "muted" }, `${draft.id} · v${draft.version} · ${NETWORK_LABEL[draft.network] || draft.network}`)
        ),
        el(
          "div",
          { class: "badges" },
          badge(VERDICT_LABEL[draft.verdict] || draft.verdict, `verdict-${draft.verdict}`, "verdict"),
          badge(STATUS_LABEL[status] || status, `status-${status}`, "status-label"),
          draft.verdict !== "clear" ? el("span", { class: "muted" }, `risk ${Number(draft.score).toFixed(2)}`) : null
        ),
        draft.in_reply_to ? el("p", { class: "meta" }, "In reply to ", safeLink(draft.in_reply_to)) : null,
        draft.context ? el("p", { class: "meta" }, `Context: ${draft.context}`) : null,
        el(
          "blockquote",
          { class: "text", testid: "draft-text" },
          draft.text === null ? el("em", {}, "[text removed by the retention policy]") : highlighted(draft.text, draft.findings)
        ),
        findingList(draft.findings, draft.text),
        suggestion,
        draft.override ? el("p", { class: "meta", testid: "override-note" }, `Override requested: ${draft.override.justification}`) : null,
        progress ? el("p", { class: "progress", testid: "progress" }, progress) : null,
        final,
        draft.posted_link ? el("p", { class: "meta", testid: "posted" }, "Posted: ", safeLink(draft.posted_link)) : null,
        draft.decisions && draft.decisions.length
          ? el(
              "ul",
              { class: "decisions", testid: "decisions" },
              draft.decisions.map((d) =>
                el(
                  "li",
                  {},
                  `${d.actor.name.includes(`(${d.group})`) ? d.actor.name : `${d.actor.name} (${d.group})`} ${d.decision === "approve" ? "approved" : `rejected (${d.reason})`} v${d.version} at ${time(d.at)}`,
                  d.comment ? ` — “${d.comment}”` : "",
                  d.acknowledges_override ? " — acknowledged the override" : ""
                )
              )
            )
          : null,
        actions.length ? el("div", { class: "actions" }, actions) : null,
        panels,
        feedback(view)
      )
    );
  }

  // ---------------------------------------------------------------- review channels
  async function currentText(card) {
    const id = encodeURIComponent(card.draft_id);
    if (card.extra && card.extra.full_text_available) {
      const channel = card.channel.split(":").pop();
      const body = await api("GET", `/sandbox/drafts/${id}/text?channel=${encodeURIComponent(channel)}`);
      return body;
    }
    const body = await api("GET", `/api/drafts/${id}`);
    return { draft_id: body.id, version: body.version, text: body.text || "" };
  }

  function reviewCard(card, key, channel) {
    const view = ui(key);
    const group = groupOf(channel);
    const mayDecide = myGroups().includes(group);
    const pending = card.status === "pending";
    if (view.fullText && view.fullText.version < card.version) view.fullText = null;

    const textBlock = view.fullText
      ? el(
          "div",
          { class: "text-block" },
          el("div", { class: "text-label" }, `Full text (version ${view.fullText.version})`),
          el("blockquote", { class: "text full", testid: "full-text" }, view.fullText.text)
        )
      : el(
          "div",
          { class: "text-block" },
          el("div", { class: "text-label" }, "Redacted preview"),
          el("blockquote", { class: "text", testid: "preview" }, card.preview)
        );

    const textToggle = card.extra && card.extra.full_text_available
      ? view.fullText
        ? button("Hide full text", "hide-full-text", () => {
            view.fullText = null;
            renderMain();
          }, "link")
        : button("Show full text", "show-full-text", async () => {
            view.error = "";
            try {
              const body = await currentText(card);
              view.fullText = { version: body.version, text: body.text };
            } catch (error) {
              view.error = error.message;
            }
            renderMain();
          }, "link")
      : null;

    const final = [];
    if (card.final_approver_name && card.status !== "pending") {
      if (card.status === "approved" || card.status === "posted") {
        final.push(el("p", { class: "final", testid: "final-approver" }, "✔ Final approver: ", el("strong", {}, card.final_approver_name)));
      } else if (card.status === "rejected") {
        final.push(el("p", { class: "final final-rejected", testid: "final-approver" }, "✖ Rejected by ", el("strong", {}, card.final_approver_name)));
      }
    }

    const actions = [];
    const panels = [];
    const me = state.data && state.data.me;
    const approvedAlready = (card.progress || []).some((entry) =>
      (entry.approved_by || []).some((who) => Array.isArray(who) && who[0] === me)
    );
    if (pending && card.actions.length && mayDecide && approvedAlready) {
      actions.push(el("p", { class: "muted small", testid: "you-approved" }, `You approved version ${card.version}; waiting for the others.`));
    }
    if (pending && card.actions.length && mayDecide && !approvedAlready) {
      const ack = card.needs_override_ack
        ? field(view, "ack", el("input", { type: "checkbox", testid: "ack-override", id: `${key}-ack` }))
        : null;
      const acknowledged = () => Boolean(ack && ack.checked);
      if (ack) {
        actions.push(
          el("label", { class: "ack", for: `${key}-ack` }, ack, " I acknowledge the override (the scan blocked this draft)")
        );
      }
      // The group of this channel already has its approvals: only a rejection can still change things.
      const channelGroup = String(card.channel || "").split(":").pop().replace(/-review$/, "");
      const groupDone = (card.progress || []).some((entry) => entry.group === channelGroup && entry.done);
      if (groupDone) {
        actions.push(el("p", { class: "muted small", testid: "group-done" }, `${channelGroup} has the approvals it needs.`));
      }
      for (const action of card.actions) {
        if (groupDone && action.id !== "reject") continue;
        if (action.id === "approve") {
          actions.push(button(action.label, "approve", () =>
            act(key, async () => {
              const result = await api("POST", `/api/drafts/${encodeURIComponent(card.draft_id)}/decisions`, {
                decision: "approve",
                version: card.version,
                acknowledge_override: acknowledged(),
              });
              return result.status === "approved" ? "Approved — this was the final approval." : `Approved version ${card.version}.`;
            }), action.style, { disabled: view.busy }));
        } else if (action.id === "approve_with_edits") {
          actions.push(button(action.label, "approve-edits", () => openEdit(key, card), action.style, { disabled: view.busy }));
        } else if (action.id === "reject") {
          actions.push(button(action.label, "reject", () => togglePanel(key, "reject"), action.style, { disabled: view.busy }));
        }
      }
      if (view.panel === "edit") {
        const text = field(view, "text", el("textarea", { rows: 4, testid: "edit-text", id: `${key}-edit` }));
        const comment = field(view, "comment", el("input", { type: "text", testid: "edit-comment", id: `${key}-edit-comment` }));
        panels.push(
          el(
            "div",
            { class: "panel" },
            el("label", { for: `${key}-edit` }, `Edit the reply (version ${card.version}); it is scanned again and becomes a new version`),
            text,
            el("label", { for: `${key}-edit-comment` }, "Comment (optional)"),
            comment,
            el(
              "div",
              { class: "panel-actions" },
              button("Approve edited text", "save-edit", () =>
                act(key, async (v) => {
                  const result = await api("POST", `/api/drafts/${encodeURIComponent(card.draft_id)}/decisions`, {
                    decision: "approve",
                    version: card.version,
                    text: text.value,
                    comment: comment.value,
                    acknowledge_override: acknowledged(),
                  });
                  v.fullText = { version: result.version, text: result.text || "" };
                  return `Saved your edit as version ${result.version} (${STATUS_LABEL[result.status] || result.status}).`;
                }), "primary", { disabled: view.busy }),
              button("Cancel", "cancel", () => togglePanel(key, "edit"))
            )
          )
        );
      }
      if (view.panel === "reject") {
        const reasons = (card.rejection_reasons && card.rejection_reasons.length ? card.rejection_reasons : (state.roster && state.roster.reasons) || []);
        const reason = field(
          view,
          "reason",
          el(
            "select",
            { testid: "reject-reason", id: `${key}-reason` },
            el("option", { value: "" }, "Choose a reason…"),
            reasons.map((code) => el("option", { value: code }, `${human(code)} (${code})`))
          )
        );
        const comment = field(view, "comment", el("textarea", { rows: 2, testid: "reject-comment", id: `${key}-reject-comment` }));
        panels.push(
          el(
            "div",
            { class: "panel" },
            el("label", { for: `${key}-reason` }, "Reason"),
            reason,
            el("label", { for: `${key}-reject-comment` }, "Comment for the author (optional)"),
            comment,
            el(
              "div",
              { class: "panel-actions" },
              button("Reject draft", "confirm-reject", () => {
                if (!reason.value) {
                  view.error = "Choose a reason for the rejection.";
                  renderMain();
                  return;
                }
                act(key, async () => {
                  await api("POST", `/api/drafts/${encodeURIComponent(card.draft_id)}/decisions`, {
                    decision: "reject",
                    version: card.version,
                    reason: reason.value,
                    comment: comment.value,
                  });
                  return `Rejected (${reason.value}).`;
                });
              }, "danger", { disabled: view.busy }),
              button("Cancel", "cancel", () => togglePanel(key, "reject"))
            )
          )
        );
      }
    }

    return el(
      "article",
      {
        class: `msg card status-${card.status}`,
        testid: `card-${card.draft_id}`,
        dataset: { draftId: card.draft_id, status: card.status, version: String(card.version) },
        "aria-label": card.title,
      },
      el("div", { class: "avatar bot", "aria-hidden": "true" }, "φ"),
      el(
        "div",
        { class: "msg-body" },
        el(
          "header",
          { class: "msg-head" },
          el("strong", { class: "author" }, "phigate"),
          el("span", { class: "app-tag" }, "APP"),
          el("span", { class: "muted" }, `${card.title} · v${card.version}`)
        ),
        el(
          "div",
          { class: "card-box" },
          el(
            "div",
            { class: "badges" },
            badge(card.status_label, `status-${card.status}`, "status-label"),
            badge(card.verdict_label, `verdict-${card.verdict}`, "verdict")
          ),
          el(
            "p",
            { class: "meta" },
            `From ${card.author_name} · ${NETWORK_LABEL[card.network] || card.network}`,
            card.in_reply_to ? [" · in reply to ", safeLink(card.in_reply_to)] : null
          ),
          card.context ? el("p", { class: "meta" }, `Context: ${card.context}`) : null,
          card.warnings.length
            ? el("ul", { class: "warnings", testid: "warnings" }, card.warnings.map((w) => el("li", {}, `⚠ ${w}`)))
            : null,
          textBlock,
          textToggle,
          findingList(card.findings, null),
          el("p", { class: "progress", testid: "progress" }, card.progress_line),
          final,
          card.decisions.length
            ? el("ul", { class: "decisions", testid: "decisions" }, card.decisions.map((line) => el("li", {}, line)))
            : null,
          actions.length ? el("div", { class: "actions" }, actions) : null,
          pending && card.actions.length && !mayDecide
            ? el("p", { class: "muted small", testid: "not-your-group" }, `Only ${group} members decide in this channel.`)
            : null,
          panels,
          feedback(view)
        )
      )
    );
  }

  async function openEdit(key, card) {
    const view = ui(key);
    if (view.panel === "edit") {
      togglePanel(key, "edit");
      return;
    }
    view.error = "";
    try {
      const body = await currentText(card);
      view.values.text = body.text;
      togglePanel(key, "edit");
    } catch (error) {
      view.error = `Could not load the text to edit: ${error.message}`;
      renderMain();
    }
  }

  // ---------------------------------------------------------------- composer
  async function submitDraft(event) {
    event.preventDefault();
    const text = $("draft-text");
    const button = $("submit-draft");
    showText($("composer-error"), "");
    const result = $("submit-result");
    result.hidden = true;
    if (!text.value.trim()) {
      showText($("composer-error"), "Paste the reply you want to post first.");
      return;
    }
    button.disabled = true;
    try {
      const draft = await api(
        "POST",
        "/api/drafts",
        {
          text: text.value,
          network: $("draft-network").value,
          in_reply_to: $("draft-in-reply-to").value.trim(),
          context: $("draft-context").value.trim(),
        },
        { "Idempotency-Key": requestKey() }
      );
      text.value = "";
      $("draft-in-reply-to").value = "";
      $("draft-context").value = "";
      const next =
        draft.status === "blocked"
          ? "blocked: see the findings and the suggested reply above."
          : "sent to the approvers in the review channels.";
      result.textContent = `Scanned ${draft.id}: ${VERDICT_LABEL[draft.verdict] || draft.verdict} — ${next}`;
      result.dataset.draftId = draft.id;
      result.dataset.verdict = draft.verdict;
      result.hidden = false;
      state.flash = draft.id;
      setTimeout(() => {
        if (state.flash === draft.id) {
          state.flash = null;
          renderMain();
        }
      }, 2500);
      await refresh();
      scrollToBottom(true);
    } catch (error) {
      showText($("composer-error"), error.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- audit export
  async function exportAudit() {
    const status = $("export-status");
    const buttonNode = $("export-audit");
    status.className = "export-status";
    status.textContent = "Exporting…";
    buttonNode.disabled = true;
    try {
      const response = await request("GET", "/api/audit?format=csv", undefined, { Accept: "text/csv" });
      if (response.status !== 200) throw await errorOf(response);
      const blob = await response.blob();
      const disposition = response.headers.get("Content-Disposition") || "";
      const match = /filename="?([^";]+)"?/i.exec(disposition);
      const name = match ? match[1] : `phigate-audit-${new Date().toISOString().slice(0, 10)}.csv`;
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      status.dataset.outcome = "ok";
      status.textContent = `Downloaded ${name} (${blob.size} bytes).`;
    } catch (error) {
      status.dataset.outcome = "error";
      status.className = "export-status error";
      status.textContent = `Export failed${error.status ? ` (HTTP ${error.status})` : ""}: ${error.message}`;
    } finally {
      buttonNode.disabled = false;
    }
  }

  // ---------------------------------------------------------------- start
  async function start() {
    $("composer").addEventListener("submit", submitDraft);
    $("draft-text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submitDraft(event);
    });
    $("user-select").addEventListener("change", (event) => switchUser(event.target.value));
    $("export-audit").addEventListener("click", exportAudit);
    try {
      state.roster = await api("GET", "/sandbox/roster");
    } catch (error) {
      showText($("load-error"), `Could not load the sandbox roster: ${error.message}`);
      return;
    }
    const hash = decodeURIComponent(location.hash.slice(1));
    if (state.roster.channels.includes(hash)) state.channel = hash;
    const ids = state.roster.users.map((user) => user.id);
    let user = new URLSearchParams(location.search).get("user");
    if (!ids.includes(user)) {
      try {
        user = localStorage.getItem(STORAGE_KEY);
      } catch (_) {
        user = null;
      }
    }
    if (!ids.includes(user)) user = ids[0];
    connectEvents();
    setInterval(refresh, POLL_MS);
    window.addEventListener("hashchange", () => {
      const channel = decodeURIComponent(location.hash.slice(1));
      if (state.roster.channels.includes(channel) && channel !== state.channel) selectChannel(channel);
    });
    await switchUser(user);
    scrollToBottom(true);
    document.body.dataset.ready = "true";
  }

  start();
})();
