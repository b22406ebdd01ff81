/* floor handheld: offline-first scanning (SPEC 9.6).
 *
 * Every scan is written to IndexedDB first (device id + seq, state "pending"), shown at once,
 * then sent through POST /api/scans until the server answers; the server's device+seq
 * de-duplication makes a re-send harmless, so a scan is applied exactly once across reloads,
 * closed tabs and restarts. The device id and the next seq live in ONE IndexedDB record:
 * clearing the browser's storage loses both together, and the page then makes a new device
 * id, so old seqs are never sent again under the old id. On start the page also asks the
 * server for the device's last seq and never numbers a scan at or below it.
 */
(function () {
  "use strict";
  const body = document.body;
  const STATION = body.dataset.station;
  const TEXT = JSON.parse(document.getElementById("texts").textContent);
  const DB_NAME = "floor-handheld";
  const BATCH = 500; // scans per POST: well under the server's 1,000
  const KEEP = 1000; // answered scans kept in the browser for the list
  const RETRY_MS = [500, 1000, 2000, 4000, 8000];
  const $ = (sel) => document.querySelector(sel);

  // ---- IndexedDB ---------------------------------------------------------------------------
  let dbp = null;
  function db() {
    if (!dbp) {
      dbp = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = () => {
          const d = req.result;
          d.createObjectStore("meta");
          const scans = d.createObjectStore("scans", { keyPath: "seq" });
          scans.createIndex("state", "state");
        };
        req.onsuccess = () => {
          const d = req.result;
          d.onversionchange = () => { d.close(); dbp = null; }; // storage being cleared: let it go
          resolve(d);
        };
        req.onerror = () => reject(req.error);
      });
    }
    return dbp;
  }
  function done(tx) {
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }
  function reqp(req) {
    return new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  }
  function newDeviceId() {
    const b = new Uint8Array(6);
    crypto.getRandomValues(b); // works outside secure contexts too (plain http on the LAN)
    return "hh-" + Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }
  /** The device record {id, next}: made once, kept with the scans. */
  async function device() {
    const d = await db();
    const tx = d.transaction("meta", "readwrite");
    const store = tx.objectStore("meta");
    let dev = await reqp(store.get("device"));
    if (!dev) { dev = { id: newDeviceId(), next: 1 }; store.put(dev, "device"); }
    await done(tx);
    return dev;
  }
  /** Store one scan with the next seq, atomically with the counter (two tabs never share a seq). */
  async function addScan(data) {
    const d = await db();
    const tx = d.transaction(["meta", "scans"], "readwrite");
    const meta = tx.objectStore("meta");
    const dev = (await reqp(meta.get("device"))) || { id: newDeviceId(), next: 1 };
    const scan = { seq: dev.next, device: dev.id, station: STATION, data: data, at: serverNow(), state: "pending" };
    dev.next += 1;
    meta.put(dev, "device");
    tx.objectStore("scans").put(scan);
    await done(tx);
    return scan;
  }
  async function raiseSeq(lastSeq) {
    const d = await db();
    const tx = d.transaction("meta", "readwrite");
    const meta = tx.objectStore("meta");
    const dev = await reqp(meta.get("device"));
    if (dev && dev.next <= lastSeq) { dev.next = lastSeq + 1; meta.put(dev, "device"); }
    await done(tx);
  }
  /** The oldest pending scans, in seq order (an index's equal keys are ordered by primary key). */
  async function pendingScans(limit) {
    const d = await db();
    const tx = d.transaction("scans", "readonly");
    const rows = await reqp(tx.objectStore("scans").index("state").getAll("pending", limit));
    return rows.sort((a, b) => a.seq - b.seq);
  }
  async function pendingCount() {
    const d = await db();
    return reqp(d.transaction("scans", "readonly").objectStore("scans").index("state").count("pending"));
  }
  async function recentScans(limit) {
    const d = await db();
    const tx = d.transaction("scans", "readonly");
    const out = [];
    await new Promise((resolve, reject) => {
      const cur = tx.objectStore("scans").openCursor(null, "prev");
      cur.onsuccess = () => {
        const c = cur.result;
        if (!c || out.length >= limit) return resolve();
        if (c.value.station === STATION) out.push(c.value);
        c.continue();
      };
      cur.onerror = () => reject(cur.error);
    });
    return out;
  }
  /** Forget the oldest answered scans beyond KEEP (pending ones are never dropped; the seq counter is kept apart). */
  async function prune() {
    const d = await db();
    const tx = d.transaction("scans", "readwrite");
    const store = tx.objectStore("scans");
    let extra = (await reqp(store.count())) - KEEP;
    if (extra > 0) {
      await new Promise((resolve, reject) => {
        const cur = store.openCursor();
        cur.onsuccess = () => {
          const c = cur.result;
          if (!c || extra <= 0) return resolve();
          if (c.value.state !== "pending") { c.delete(); extra -= 1; }
          c.continue();
        };
        cur.onerror = () => reject(cur.error);
      });
    }
    await done(tx);
  }
  async function saveResults(rows) {
    const d = await db();
    const tx = d.transaction("scans", "readwrite");
    const store = tx.objectStore("scans");
    for (const r of rows) store.put(r);
    await done(tx);
  }

  // ---- clock: stamp scans with the server's time (a phone's clock may be off) ---------------
  let offsetMs = Number(localStorage.getItem("floor-hh-offset") || 0);
  function learnClock(iso) {
    const t = Date.parse(iso);
    if (!isNaN(t)) { offsetMs = t - Date.now(); localStorage.setItem("floor-hh-offset", String(offsetMs)); }
  }
  function serverNow() { return new Date(Date.now() + offsetMs).toISOString(); }

  // ---- the scan list -------------------------------------------------------------------------
  const list = $("#scans");
  function render(scan) {
    let li = list.querySelector(`li[data-seq="${scan.seq}"][data-device="${scan.device}"]`);
    if (!li) {
      li = document.createElement("li");
      li.dataset.seq = scan.seq;
      li.dataset.device = scan.device;
      li.innerHTML = '<span class="text"></span><span class="state"></span><span class="msg"></span>';
      list.prepend(li);
      while (list.children.length > 60) list.lastChild.remove();
    }
    li.dataset.state = scan.state;
    li.querySelector(".text").textContent = scan.data;
    const label = { pending: TEXT.pending, ok: TEXT.accepted, rejected: TEXT.rejected }[scan.state] || scan.state;
    li.querySelector(".state").textContent = scan.duplicate ? `${label} (${TEXT.duplicate})` : label;
    const msg = li.querySelector(".msg");
    msg.textContent = scan.state === "pending" ? "" : (body.dataset.lang === "zh" ? scan.message_zh || scan.message : scan.message) || "";
    if (scan.code) li.dataset.code = scan.code;
    if (scan.state === "rejected" && !li.querySelector("button")) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "small rescan";
      b.textContent = TEXT.rescan;
      b.addEventListener("click", () => { field.value = scan.data; field.focus(); field.select(); });
      li.appendChild(b);
    }
    return li;
  }
  async function updatePending() {
    const n = await pendingCount();
    $("#pending").textContent = String(n);
    body.dataset.pending = String(n);
  }

  // ---- feedback: sound and vibration ---------------------------------------------------------
  const sounds = {};
  function feedback(ok) {
    body.dataset.lastFeedback = ok ? "ok" : "bad";
    try {
      const name = ok ? "ok" : "bad";
      sounds[name] = sounds[name] || new Audio(body.dataset.static + name + ".wav");
      sounds[name].currentTime = 0;
      const p = sounds[name].play();
      if (p && p.catch) p.catch(() => {});
    } catch (e) { /* no audio: vibration and colour still tell */ }
    if (navigator.vibrate) navigator.vibrate(ok ? 40 : [120, 60, 120]);
  }

  // ---- sending -------------------------------------------------------------------------------
  const stats = { batches: 0, postMs: 0, storeMs: 0 }; // where upload time goes (bench, diagnostics)
  let sending = false;
  let again = false;
  let retry = 0;
  let retryTimer = null;
  function setOnline(on) {
    const net = $("#net");
    net.dataset.online = on ? "1" : "0";
    net.textContent = on ? TEXT.online : TEXT.offline;
  }
  function csrf() { const m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; }

  async function postBatch(batch) {
    const resp = await fetch("/api/scans", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Floor-Handheld": "1" },
      credentials: "same-origin",
      body: JSON.stringify({
        station: batch[0].station,
        device: batch[0].device,
        scans: batch.map((s) => ({ data: s.data, seq: s.seq, at: s.at })),
      }),
    });
    let data = null;
    try { data = await resp.json(); } catch (e) { data = null; }
    return { status: resp.status, data: data };
  }

  /** Send every pending scan in seq order until none is left or the network is gone. */
  async function flush() {
    if (sending) { again = true; return; }
    sending = true;
    try {
      const run = async () => {
        for (;;) {
          const pending = await pendingScans(BATCH);
          if (!pending.length) break;
          // One device and station per request, in seq order.
          const first = pending[0];
          const batch = [];
          for (const s of pending) {
            if (s.station !== first.station || s.device !== first.device || batch.length >= BATCH) break;
            batch.push(s);
          }
          let answer;
          const t0 = performance.now();
          try {
            answer = await postBatch(batch);
            stats.postMs += performance.now() - t0;
            stats.batches += 1;
          } catch (e) {
            setOnline(false);
            schedule();
            return;
          }
          setOnline(true);
          if (answer.status === 200 && answer.data && Array.isArray(answer.data.results)) {
            const bySeq = new Map(answer.data.results.map((r) => [r.seq, r]));
            const rows = [];
            for (const s of batch) {
              const r = bySeq.get(s.seq);
              if (!r) continue;
              Object.assign(s, {
                state: r.ok ? "ok" : "rejected", code: r.code, message: r.message,
                message_zh: r.message_zh, duplicate: !!r.duplicate, effects: r.effects || {},
              });
              rows.push(s);
            }
            const t1 = performance.now();
            await saveResults(rows);
            stats.storeMs += performance.now() - t1;
            // Only the newest rows are on screen; one sound for the batch (a queue of 5,000 would beep 5,000 times).
            const mine = rows.filter((s) => s.station === STATION);
            for (const s of mine.slice(-60)) render(s);
            for (const s of mine) afterResult(s);
            if (mine.length) feedback(mine.every((s) => s.state === "ok"));
            retry = 0;
          } else if (answer.status >= 400 && answer.status < 500 && answer.status !== 401 && answer.status !== 403
                     && answer.status !== 408 && answer.status !== 429) {
            // The request itself was refused (e.g. the station no longer exists): every scan of it is
            // rejected with the server's reason, so the queue moves on and nothing is sent twice.
            const d = answer.data || {};
            for (const s of batch) {
              Object.assign(s, { state: "rejected", code: d.code || "refused", message: d.error || String(answer.status), message_zh: d.error_zh || d.error || "" });
            }
            await saveResults(batch);
            for (const s of batch) if (s.station === STATION) render(s);
            feedback(false);
          } else {
            // Not enrolled / no right to post / server trouble: keep the scans, show why, try later.
            const d = answer.data || {};
            showBanner(`${TEXT.refused} ${body.dataset.lang === "zh" ? d.error_zh || d.error || answer.status : d.error || answer.status}`);
            schedule();
            return;
          }
          await updatePending();
        }
        showBanner("");
        await prune();
      };
      if (navigator.locks && navigator.locks.request) {
        // One sender per browser: two tabs of the page never post the same scans at once.
        await navigator.locks.request("floor-handheld-send", run);
      } else {
        await run();
      }
    } finally {
      sending = false;
      await updatePending();
      body.dataset.idle = "1";
      if (again) { again = false; flush(); }
    }
  }
  function schedule() {
    if (retryTimer) return;
    const wait = RETRY_MS[Math.min(retry, RETRY_MS.length - 1)];
    retry += 1;
    retryTimer = setTimeout(() => { retryTimer = null; flush(); }, wait);
  }
  function showBanner(text) {
    let b = $("#banner");
    if (!b) { b = document.createElement("div"); b.id = "banner"; b.className = "banner"; document.body.insertBefore(b, list); }
    b.textContent = text;
    b.hidden = !text;
  }

  // ---- scanning ------------------------------------------------------------------------------
  const field = $("#scan");
  let task = localStorage.getItem(`floor-hh-task-${STATION}`) || "stocktake";

  async function scan(text) {
    text = String(text || "").trim();
    if (!text) return;
    if (task === "lookup" && !/^(U:|CNT:|CMD:|DLV:|Q:)/i.test(text)) return lookup(text);
    const s = await addScan(text);
    render(s);
    await updatePending();
    body.dataset.idle = "0";
    flush();
    return s;
  }
  function afterResult(s) {
    if (s.state === "ok" && /^U:/i.test(s.data)) {
      // The server's greeting names the person ("Hello Wang Fang" / "你好 …"); the badge is never shown.
      const hello = body.dataset.lang === "zh" ? s.message_zh || s.message : s.message;
      $("#who-name").textContent = hello || TEXT.signed_in;
      $("#sign-out").hidden = false;
      localStorage.setItem(`floor-hh-who-${STATION}`, $("#who-name").textContent);
    }
    if (s.state === "ok" && (/^L:/i.test(s.data) || /^CNT:/i.test(s.data))) refreshSoon();
  }
  field.addEventListener("keydown", (ev) => {
    // DataWedge and most keystroke scanners end a scan with Enter; some are set to Tab.
    if (ev.key === "Enter" || ev.key === "Tab") {
      ev.preventDefault();
      const text = field.value;
      field.value = "";
      scan(text);
    }
  });
  $("#scan-form").addEventListener("submit", (ev) => ev.preventDefault());
  // A scanner that types while a button has focus (right after a tap) still lands in the field.
  document.addEventListener("keydown", (ev) => {
    if (ev.target === field || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    if (ev.key.length === 1) {
      ev.preventDefault();
      field.focus({ preventScroll: true });
      field.value += ev.key;
    } else if ((ev.key === "Enter" || ev.key === "Tab") && field.value) {
      ev.preventDefault();
      const text = field.value;
      field.value = "";
      field.focus({ preventScroll: true });
      scan(text);
    }
  }, true);
  // The field keeps focus, so a trigger press always lands in it.
  function refocus() { if (!$("#camera-view").hidden) return; if (document.activeElement !== field) field.focus({ preventScroll: true }); }
  field.addEventListener("blur", () => setTimeout(refocus, 0));
  document.addEventListener("click", () => setTimeout(refocus, 0));
  $("#keyboard").addEventListener("click", () => { field.setAttribute("inputmode", field.getAttribute("inputmode") === "none" ? "text" : "none"); field.blur(); field.focus(); });
  $("#sign-out").addEventListener("click", () => { scan("CMD:DONE"); $("#who-name").textContent = TEXT.sign_in; $("#sign-out").hidden = true; localStorage.removeItem(`floor-hh-who-${STATION}`); });

  // ---- tasks and the lists they show ---------------------------------------------------------
  let state = JSON.parse(localStorage.getItem(`floor-hh-state-${STATION}`) || "null");
  let activeCount = localStorage.getItem(`floor-hh-count-${STATION}`);
  function choose(name) {
    task = name;
    localStorage.setItem(`floor-hh-task-${STATION}`, name);
    body.dataset.task = name;
    document.querySelectorAll("#tasks button").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.task === name)));
    document.querySelectorAll("[data-panel]").forEach((p) => { p.hidden = p.dataset.panel !== name; });
    if (name === "move") scan("CMD:MOVE");
    if (name === "pick") loadPicks();
  }
  document.querySelectorAll("#tasks button").forEach((b) => b.addEventListener("click", () => choose(b.dataset.task)));

  function button(label, cls, onclick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = label;
    b.addEventListener("click", (ev) => { onclick(ev); field.focus({ preventScroll: true }); });
    return b;
  }
  function drawState() {
    const counts = $("#counts");
    counts.textContent = "";
    const cs = (state && state.counts) || [];
    if (!cs.length) counts.textContent = TEXT.no_counts;
    for (const c of cs) {
      const b = button(`CNT:${c.id} · ${c.kind}${c.zone ? " · " + c.zone : ""} · ${c.bins_counted}/${c.bins} ${TEXT.bins}`, "item count", () => {
        activeCount = String(c.id);
        localStorage.setItem(`floor-hh-count-${STATION}`, activeCount);
        scan(`CNT:${c.id}`);
        drawState();
      });
      b.dataset.count = c.id;
      if (String(c.id) === activeCount) b.classList.add("is-on");
      counts.appendChild(b);
    }
    const active = cs.find((c) => String(c.id) === activeCount);
    $("#count-bins").hidden = !active;
    if (active) {
      $("#count-progress").textContent = `${active.bins_counted} / ${active.bins} ${TEXT.counted}`;
      const ul = $("#bin-list");
      ul.textContent = "";
      for (const bin of active.bin_list || []) {
        const li = document.createElement("li");
        li.dataset.bin = bin.code;
        li.dataset.counted = bin.counted ? "1" : "0";
        const name = button(bin.code, "bin", () => scan(`L:${bin.code}`));
        li.appendChild(name);
        const st = document.createElement("span");
        st.className = "bin-state";
        st.textContent = bin.counted ? TEXT.counted : TEXT.to_do;
        li.appendChild(st);
        // An empty bin is counted by scanning it and nothing else: its pass holds no lines.
        if (!bin.counted) li.appendChild(button(TEXT.empty, "small empty", () => scan(`L:${bin.code}`)));
        ul.appendChild(li);
      }
    }
    const dl = $("#deliveries");
    dl.textContent = "";
    const ds = (state && state.deliveries) || [];
    if (!ds.length) dl.textContent = TEXT.no_deliveries;
    for (const d of ds) {
      const b = button(`${d.reference} · ${d.supplier} · ${d.received}/${d.expected}`, "item delivery", () => scan(`DLV:${d.reference}`));
      b.dataset.delivery = d.reference;
      dl.appendChild(b);
    }
  }
  let refreshTimer = null;
  function refreshSoon() {
    if (!refreshTimer) refreshTimer = setTimeout(() => { refreshTimer = null; refreshState(); }, 50);
  }
  async function refreshState() {
    try {
      const resp = await fetch(body.dataset.stateUrl, { cache: "no-store" });
      if (!resp.ok) return;
      state = await resp.json();
      learnClock(state.now);
      localStorage.setItem(`floor-hh-state-${STATION}`, JSON.stringify(state));
      drawState();
    } catch (e) { /* offline: keep the last lists */ }
  }
  let picksAsked = 0; // only the newest answer is drawn (a second tap may overtake the first)
  async function loadPicks() {
    const p = $("#picks");
    const mine = ++picksAsked;
    p.dataset.state = "loading";
    let picks = null;
    try {
      const resp = await fetch("/api/picks", { cache: "no-store" });
      if (resp.ok) picks = (await resp.json()).picks;
    } catch (e) { picks = null; }
    if (mine !== picksAsked) return;
    p.textContent = "";
    if (!Array.isArray(picks)) {
      p.textContent = TEXT.picks_offline;
      p.dataset.state = "failed";
      return;
    }
    // An empty queue says so: a blank panel cannot be told from one still loading.
    if (!picks.length) p.textContent = TEXT.no_picks;
    for (const k of picks) {
      // An appointment's parts are prepared before its car comes: there is no job yet to scan.
      const a = k.appointment;
      const who = a ? `${TEXT.appointment} ${a.day.slice(5)} ${a.time} ${a.plate || ""}` : k.workorder;
      const b = button(`${who} · ${k.part_no} × ${k.qty} · ${k.location || ""}`, a ? "item pick pick-appointment" : "item pick", () => {
        if (!a) scan(`WO:${k.workorder}`);
      });
      p.appendChild(b);
    }
    p.dataset.state = "loaded";
  }
  async function lookup(text) {
    const out = $("#lookup-result");
    out.textContent = "";
    try {
      const resp = await fetch(`${body.dataset.lookupUrl}?code=${encodeURIComponent(text)}`);
      const data = await resp.json();
      if (!resp.ok) { out.textContent = (body.dataset.lang === "zh" ? data.error_zh : data.error) || TEXT.not_found; feedback(false); return; }
      const h = document.createElement("h3");
      const rows = data.kind === "part" ? data.bins : data.parts;
      h.textContent = data.kind === "part" ? `${data.part_no} · ${data.name} · ${data.on_hand} ${TEXT.on_hand}` : `L:${data.code}`;
      out.appendChild(h);
      const ul = document.createElement("ul");
      for (const [k, v] of Object.entries(rows || {})) {
        const li = document.createElement("li");
        li.textContent = `${k}: ${v}`;
        ul.appendChild(li);
      }
      if (data.reserved !== undefined) { const li = document.createElement("li"); li.textContent = `reserved: ${data.reserved}`; ul.appendChild(li); }
      out.appendChild(ul);
      out.dataset.found = data.kind === "part" ? data.part_no : data.code;
      feedback(true);
    } catch (e) { out.textContent = TEXT.lookup_offline; }
  }

  // ---- camera --------------------------------------------------------------------------------
  let stream = null;
  async function openCamera() {
    const view = $("#camera-view");
    const video = $("#camera-video");
    const status = $("#camera-status");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { status.textContent = TEXT.camera_none; view.hidden = false; return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } } });
    } catch (e) { status.textContent = TEXT.camera_none; view.hidden = false; return; }
    view.hidden = false;
    status.textContent = TEXT.camera_looking;
    video.srcObject = stream;
    await video.play().catch(() => {});
    let detector = null;
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["ean_13", "code_128", "qr_code", "data_matrix", "ean_8", "upc_a", "code_39", "itf"] }); } catch (e) { detector = null; }
    }
    body.dataset.decoder = detector ? "browser" : "server";
    const canvas = document.createElement("canvas");
    const loop = async () => {
      if (!stream) return;
      let texts = [];
      try {
        if (detector) {
          texts = (await detector.detect(video)).map((c) => c.rawValue);
        } else if (video.videoWidth) {
          // No BarcodeDetector (desktop Chromium, older phones): floor's own decoder reads the frame.
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          canvas.getContext("2d").drawImage(video, 0, 0);
          const blob = await new Promise((r) => canvas.toBlob(r, "image/jpeg", 0.85));
          const resp = await fetch(body.dataset.decodeUrl, { method: "POST", body: blob, headers: { "X-CSRFToken": csrf(), "Content-Type": "image/jpeg" } });
          if (resp.ok) texts = ((await resp.json()).codes || []).map((c) => c.data);
        }
      } catch (e) { texts = []; }
      if (texts.length) {
        closeCamera();
        for (const t of texts) await scan(t);
        return;
      }
      setTimeout(loop, detector ? 80 : 150);
    };
    loop();
  }
  function closeCamera() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    $("#camera-view").hidden = true;
    refocus();
  }
  $("#camera").addEventListener("click", openCamera);
  $("#camera-close").addEventListener("click", closeCamera);

  // ---- start ---------------------------------------------------------------------------------
  async function start() {
    const dev = await device();
    body.dataset.device = dev.id;
    const who = localStorage.getItem(`floor-hh-who-${STATION}`);
    if (who) { $("#who-name").textContent = who; $("#sign-out").hidden = false; }
    for (const s of (await recentScans(60)).reverse()) render(s);
    await updatePending();
    drawState();
    choose(task);
    try {
      const resp = await fetch(body.dataset.seqUrl.replace("DEVICE", encodeURIComponent(dev.id)), { cache: "no-store" });
      if (resp.ok) {
        const info = await resp.json();
        learnClock(info.now);
        await raiseSeq(info.last_seq);
        setOnline(true);
      }
    } catch (e) { setOnline(false); }
    await refreshState();
    body.dataset.ready = "1";
    flush();
    refocus();
  }
  window.addEventListener("online", () => { retry = 0; flush(); refreshState(); });
  window.addEventListener("offline", () => setOnline(false));
  document.addEventListener("visibilitychange", () => { if (!document.hidden) flush(); });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/handheld/" }).then(async () => {
      await navigator.serviceWorker.ready;
      // The page itself (per station) and its state are cached here; the worker cached the assets.
      const cache = await caches.open("floor-handheld-v1");
      await cache.addAll([location.pathname + location.search, body.dataset.stateUrl]).catch(() => {});
      body.dataset.cached = "1";
    }).catch(() => {});
  }
  // Test and bench hook: the page's own scan path (IndexedDB, then POST /api/scans).
  window.floorHandheld = { scan: scan, flush: flush, pending: pendingCount, addScan: addScan, stats: stats };
  start();
})();
