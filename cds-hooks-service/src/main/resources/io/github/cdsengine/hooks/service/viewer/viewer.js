// The CDS Hooks card viewer: sends a request to one of this server's services and shows the
// cards as an EHR would, with buttons that send CDS Hooks 2.0 feedback. Addresses are relative
// to the page, so the viewer works behind a proxy that serves the service under a path.
//
// Card text is untrusted: it reaches the page only through textContent, text nodes and
// attributes set on elements built here, never as HTML. The page's Content-Security-Policy
// enforces Trusted Types with no policy, so an innerHTML assignment would throw. Markdown is
// read by the small renderer below (paragraphs, emphasis, code, lists, headings, links to
// http and https addresses only); anything else stays text.
(function () {
  'use strict';

  const INDICATORS = { info: 'Info', warning: 'Warning', critical: 'Critical' };
  const ESCAPABLE = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
  const STARTING_RETRIES = 120;

  const services = new Map();
  let pendingService = null;

  function byId(id) {
    return document.getElementById(id);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  // ---- Problems of the page itself (script errors, policy violations): shown, not hidden.

  function reportProblem(message) {
    const problems = byId('problems');
    problems.appendChild(element('p', null, message));
    problems.hidden = false;
  }

  window.addEventListener('error', (event) => {
    reportProblem('Script error: ' + event.message);
  });
  window.addEventListener('unhandledrejection', (event) => {
    reportProblem('Script error: ' + (event.reason && event.reason.message || event.reason));
  });
  document.addEventListener('securitypolicyviolation', (event) => {
    reportProblem('Blocked by the Content-Security-Policy: ' + event.violatedDirective
        + ' (' + (event.blockedURI || 'inline') + ')');
  });

  // ---- Markdown, a small subset, to DOM nodes.

  /** The address when it is an absolute http or https URL; otherwise null. */
  function safeUrl(text) {
    let url;
    try {
      url = new URL(String(text).trim());
    } catch (e) {
      return null;
    }
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  }

  function isSpace(c) {
    return c === undefined || /\s/u.test(c);
  }

  function isPunctuation(c) {
    return c !== undefined && /[\p{P}\p{S}]/u.test(c);
  }

  // Emphasis delimiters open and close as CommonMark's flanking rules say, so that
  // `window.__name` or `snake_case` stay text.
  function leftFlanking(text, at, length) {
    const before = text[at - 1];
    const after = text[at + length];
    return !isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before));
  }

  function rightFlanking(text, at, length) {
    const before = text[at - 1];
    const after = text[at + length];
    return !isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after));
  }

  function canOpen(text, at, length) {
    const left = leftFlanking(text, at, length);
    return text[at] === '*' ? left
      : left && (!rightFlanking(text, at, length) || isPunctuation(text[at - 1]));
  }

  function canClose(text, at, length) {
    const right = rightFlanking(text, at, length);
    return text[at] === '*' ? right
      : right && (!leftFlanking(text, at, length) || isPunctuation(text[at + length]));
  }

  /** The index of the delimiter run of `length` markers closing one opened at `open`, or -1. */
  function closingDelimiter(text, open, length) {
    const marker = text[open];
    for (let i = open + length + 1; i <= text.length - length; i++) {
      if (text[i] === '\\') {
        i++;
        continue;
      }
      let run = 0;
      while (text[i + run] === marker) {
        run++;
      }
      if (run === length && canClose(text, i, length)) {
        return i;
      }
      i += Math.max(run - 1, 0);
    }
    return -1;
  }

  /** The index of the next unescaped `delimiter` from `from`, or -1. */
  function findUnescaped(text, from, delimiter) {
    for (let i = from; i <= text.length - delimiter.length; i++) {
      if (text[i] === '\\') {
        i++;
      } else if (text.startsWith(delimiter, i)) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the `)` closing a link's destination opened at `open`, or -1. */
  function destinationEnd(text, open) {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
      if (text[i] === '\\') {
        i++;
      } else if (text[i] === '(') {
        depth++;
      } else if (text[i] === ')') {
        depth--;
        if (depth === 0) {
          return i;
        }
      } else if (text[i] === '\n') {
        return -1;
      }
    }
    return -1;
  }

  function renderInline(text, parent, insideLink) {
    let plain = '';
    const flush = () => {
      if (plain) {
        parent.appendChild(document.createTextNode(plain));
        plain = '';
      }
    };
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length && ESCAPABLE.includes(text[i + 1])) {
        plain += text[i + 1];
        i += 2;
        continue;
      }
      if (c === '`') {
        const end = text.indexOf('`', i + 1);
        if (end > i + 1) {
          flush();
          parent.appendChild(element('code', null, text.slice(i + 1, end)));
          i = end + 1;
          continue;
        }
      }
      if (c === '*' || c === '_') {
        let run = 0;
        while (text[i + run] === c) {
          run++;
        }
        const length = Math.min(run, 3);
        const end = canOpen(text, i, length) ? closingDelimiter(text, i, length) : -1;
        if (end > 0) {
          flush();
          const emphasis = element(length === 2 ? 'strong' : 'em');
          const inner = length === 3 ? emphasis.appendChild(element('strong')) : emphasis;
          renderInline(text.slice(i + length, end), inner, insideLink);
          parent.appendChild(emphasis);
          i = end + length;
          continue;
        }
        plain += text.slice(i, i + run);
        i += run;
        continue;
      }
      if (c === '[' && !insideLink) {
        const close = findUnescaped(text, i + 1, ']');
        if (close > i && text[close + 1] === '(') {
          const end = destinationEnd(text, close + 1);
          if (end > 0) {
            flush();
            const label = text.slice(i + 1, close);
            const destination = text.slice(close + 2, end).trim().split(/\s+/)[0]
                .replace(/^<(.*)>$/, '$1');
            const href = safeUrl(destination);
            let link;
            if (href) {
              link = element('a');
              link.setAttribute('href', href);
              link.setAttribute('target', '_blank');
              link.setAttribute('rel', 'noopener noreferrer');
            } else {
              link = element('span', 'link-removed');
              link.setAttribute('title', 'Link removed: only http and https addresses are '
                  + 'followed');
            }
            renderInline(label, link, true);
            parent.appendChild(link);
            i = end + 1;
            continue;
          }
        }
      }
      plain += c;
      i++;
    }
    flush();
  }

  /** Renders markdown into `container` as DOM nodes; never as HTML. */
  function renderMarkdown(markdown, container) {
    const lines = String(markdown).replace(/\r\n?/g, '\n').split('\n');
    let paragraph = [];
    let list = null;
    let item = null;
    let previousBlank = false;

    const endParagraph = () => {
      if (paragraph.length) {
        const p = element('p');
        renderInline(paragraph.join('\n'), p, false);
        container.appendChild(p);
        paragraph = [];
      }
    };
    const endItem = () => {
      if (item) {
        const li = element('li');
        renderInline(item.join('\n'), li, false);
        list.appendChild(li);
        item = null;
      }
    };
    const endList = () => {
      if (list) {
        endItem();
        container.appendChild(list);
        list = null;
      }
    };

    for (const line of lines) {
      if (line.trim() === '') {
        endParagraph();
        previousBlank = true;
        continue;
      }
      const bullet = /^ {0,3}[-*+][ \t]+(.*)$/.exec(line);
      const numbered = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/.exec(line);
      const heading = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/.exec(line);
      if (bullet || numbered) {
        endParagraph();
        const type = bullet ? 'UL' : 'OL';
        if (!list || list.tagName !== type) {
          endList();
          list = element(type.toLowerCase());
          if (numbered && numbered[1] !== '1') {
            list.setAttribute('start', String(Number(numbered[1])));
          }
        }
        endItem();
        item = [bullet ? bullet[1] : numbered[2]];
      } else if (heading) {
        endParagraph();
        endList();
        const level = Math.min(6, heading[1].length + 3);
        const h = element('h' + level);
        renderInline(heading[2], h, false);
        container.appendChild(h);
      } else if (list && (/^[ \t]+\S/.test(line) || !previousBlank)) {
        item.push(line.trim());
      } else {
        endList();
        paragraph.push(line.trim());
      }
      previousBlank = false;
    }
    endParagraph();
    endList();
  }

  // ---- Talking to the server.

  function authorization() {
    const token = byId('token').value.trim().replace(/^Bearer\s+/i, '');
    return token ? { Authorization: 'Bearer ' + token } : {};
  }

  function setStatus(message, isError) {
    const status = byId('status');
    status.textContent = message;
    status.classList.toggle('error', Boolean(isError));
  }

  /** The server's answer: status and body, parsed when it is JSON. */
  async function exchange(url, options) {
    const response = await fetch(url, Object.assign({ cache: 'no-store' }, options));
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
    return { status: response.status, ok: response.ok, json: json, text: text };
  }

  function problemOf(answer) {
    const body = answer.json;
    if (body && typeof body.error === 'string') {
      // A 412 names each prefetch template the service could neither read nor fetch, and why.
      const missing = Array.isArray(body.missing) ? body.missing.slice(0, 12).map(
          (m) => String(m.key) + ': ' + String(m.reason)).join('; ') : '';
      return answer.status + ': ' + body.error + (body.path ? ' (at ' + body.path + ')' : '')
          + (missing ? ' (' + missing + ')' : '');
    }
    return answer.status + ': ' + answer.text.slice(0, 300);
  }

  function wait(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async function loadServices() {
    const select = byId('service');
    select.disabled = true;
    for (let attempt = 0; attempt < STARTING_RETRIES; attempt++) {
      let answer;
      try {
        answer = await exchange('cds-services', { headers: authorization() });
      } catch (e) {
        setStatus('The services could not be listed: ' + e.message, true);
        return;
      }
      if (answer.status === 503 && !(answer.json && /failed/.test(answer.json.error))) {
        setStatus('The server is starting: its rule engines are being built…');
        await wait(1000);
        continue;
      }
      if (answer.status === 401) {
        setStatus('Listing the services needs a client token: paste one and press Reload '
            + 'services.', true);
        return;
      }
      if (!answer.ok || !answer.json || !Array.isArray(answer.json.services)) {
        setStatus('The services could not be listed: ' + problemOf(answer), true);
        return;
      }
      showServices(answer.json.services);
      setStatus(services.size + ' services offered. Choose an example or paste a request.');
      return;
    }
    setStatus('The server did not finish starting; press Reload services.', true);
  }

  function showServices(list) {
    const select = byId('service');
    const chosen = pendingService || select.value;
    services.clear();
    clear(select);
    select.appendChild(element('option', null, '(choose a service)')).value = '';
    for (const service of list) {
      if (!service || typeof service.id !== 'string') {
        continue;
      }
      services.set(service.id, service);
      const option = element('option', null, service.id + ' (' + service.hook + ')'
          + (service.title ? ': ' + service.title : ''));
      option.value = service.id;
      select.appendChild(option);
    }
    select.disabled = false;
    selectService(chosen);
  }

  function selectService(id) {
    const select = byId('service');
    if (id && services.has(id)) {
      select.value = id;
      pendingService = null;
    } else if (id) {
      pendingService = id;
    }
    describeService();
  }

  function describeService() {
    const service = services.get(byId('service').value);
    const hint = byId('service-description');
    if (service) {
      hint.textContent = 'Hook ' + service.hook + '. ' + (service.description || '');
    } else if (pendingService && services.size) {
      hint.textContent = 'This server does not offer the example\'s service ' + pendingService
          + '; choose another.';
    } else {
      hint.textContent = '';
    }
  }

  async function loadExamples() {
    let answer;
    try {
      answer = await exchange('viewer/examples/index.json', {});
    } catch (e) {
      return;
    }
    if (!answer.ok || !answer.json || !Array.isArray(answer.json.examples)) {
      return;
    }
    const select = byId('example');
    for (const example of answer.json.examples) {
      const option = element('option', null, example.title);
      option.value = example.file;
      option.dataset.service = example.service || '';
      select.appendChild(option);
    }
  }

  async function chooseExample() {
    const select = byId('example');
    const option = select.selectedOptions[0];
    if (!option || !option.value) {
      return;
    }
    const answer = await exchange('viewer/examples/' + encodeURIComponent(option.value), {});
    if (!answer.ok) {
      setStatus('The example could not be read: ' + problemOf(answer), true);
      return;
    }
    byId('request').value = answer.text;
    selectService(option.dataset.service);
    setStatus('Example loaded. Press Send.');
  }

  async function send() {
    const button = byId('send');
    button.disabled = true;
    try {
      await sendRequest();
    } finally {
      button.disabled = false;
    }
  }

  async function sendRequest() {
    const id = byId('service').value;
    const body = byId('request').value;
    const cards = byId('cards');
    if (!id) {
      setStatus('Choose a service first.', true);
      return;
    }
    try {
      JSON.parse(body);
    } catch (e) {
      setStatus('The request is not JSON: ' + e.message, true);
      return;
    }
    clear(cards);
    cards.dataset.state = 'sending';
    setStatus('Sending to ' + id + '…');
    let answer;
    try {
      answer = await exchange('cds-services/' + encodeURIComponent(id), {
        method: 'POST',
        headers: Object.assign({ 'Content-Type': 'application/json' }, authorization()),
        body: body
      });
    } catch (e) {
      cards.dataset.state = 'error';
      setStatus('The request could not be sent: ' + e.message, true);
      return;
    }
    if (!answer.ok || !answer.json || !Array.isArray(answer.json.cards)) {
      cards.dataset.state = 'error';
      setStatus('The service refused the request: ' + problemOf(answer), true);
      return;
    }
    const list = answer.json.cards;
    if (!list.length) {
      cards.appendChild(element('p', 'empty', 'No cards: the service has nothing to show for '
          + 'this request.'));
    }
    for (const card of list) {
      cards.appendChild(renderCard(card, id));
    }
    cards.dataset.state = 'shown';
    setStatus(list.length + (list.length === 1 ? ' card' : ' cards') + ' from ' + id + '.');
  }

  // ---- Cards.

  function renderCard(card, serviceId) {
    const indicator = Object.prototype.hasOwnProperty.call(INDICATORS, card.indicator)
      ? card.indicator : 'info';
    const article = element('article', 'card indicator-' + indicator);
    article.dataset.indicator = indicator;
    article.dataset.uuid = typeof card.uuid === 'string' ? card.uuid : '';

    const header = element('div', 'card-header');
    header.appendChild(element('span', 'indicator', INDICATORS[indicator]));
    header.appendChild(element('h3', 'summary', card.summary));
    article.appendChild(header);

    if (typeof card.detail === 'string' && card.detail) {
      const detail = element('div', 'detail');
      renderMarkdown(card.detail, detail);
      article.appendChild(detail);
    }
    if (card.source && card.source.label) {
      const source = element('p', 'source', 'Source: ');
      source.appendChild(linkOrText(card.source.label, card.source.url));
      if (card.source.topic && card.source.topic.display) {
        source.appendChild(document.createTextNode(' (' + card.source.topic.display + ')'));
      }
      article.appendChild(source);
    }
    if (Array.isArray(card.links) && card.links.length) {
      const links = element('ul', 'links');
      for (const link of card.links) {
        const li = element('li');
        li.appendChild(link.type === 'absolute' ? linkOrText(link.label, link.url)
          : element('span', null, link.label + ' (' + link.type + ' links are not launched '
              + 'here)'));
        links.appendChild(li);
      }
      article.appendChild(links);
    }

    const result = element('p', 'feedback-result');
    result.setAttribute('role', 'status');
    const buttons = [];
    const act = (entry, describe) => sendFeedback(serviceId, entry, describe, result, buttons);
    const uuid = article.dataset.uuid;

    if (Array.isArray(card.suggestions) && card.suggestions.length) {
      const suggestions = element('div', 'suggestions');
      for (const suggestion of card.suggestions) {
        const button = element('button', suggestion.isRecommended ? 'accept recommended'
          : 'accept', 'Accept: ' + suggestion.label);
        button.type = 'button';
        if (!uuid || !suggestion.uuid) {
          button.disabled = true;
          button.title = 'The card or suggestion has no uuid, so feedback cannot name it';
        }
        button.addEventListener('click', () => act({
          card: uuid,
          outcome: 'accepted',
          acceptedSuggestions: [{ id: suggestion.uuid }],
          outcomeTimestamp: new Date().toISOString()
        }, 'accepted "' + suggestion.label + '"'));
        suggestions.appendChild(button);
        buttons.push(button);
      }
      article.appendChild(suggestions);
    }

    const override = element('div', 'override');
    const reasons = Array.isArray(card.overrideReasons) ? card.overrideReasons : [];
    const reason = element('select', 'override-reason');
    reason.setAttribute('aria-label', 'Override reason');
    reason.appendChild(element('option', null, '(no reason given)')).value = '';
    reasons.forEach((coding, index) => {
      const option = element('option', null, coding.display || coding.code);
      option.value = String(index);
      reason.appendChild(option);
    });
    const comment = element('input', 'override-comment');
    comment.type = 'text';
    comment.placeholder = 'Comment (optional)';
    comment.setAttribute('aria-label', 'Override comment');
    const dismiss = element('button', 'override-button', 'Override');
    dismiss.type = 'button';
    if (!uuid) {
      dismiss.disabled = true;
      dismiss.title = 'The card has no uuid, so feedback cannot name it';
    }
    dismiss.addEventListener('click', () => {
      const chosen = reason.value === '' ? null : reasons[Number(reason.value)];
      const entry = { card: uuid, outcome: 'overridden' };
      const overrideReason = {};
      if (chosen) {
        overrideReason.reason = chosen;
      }
      if (comment.value.trim()) {
        overrideReason.userComment = comment.value.trim();
      }
      if (Object.keys(overrideReason).length) {
        entry.overrideReason = overrideReason;
      }
      entry.outcomeTimestamp = new Date().toISOString();
      act(entry, 'overridden' + (chosen ? ' (' + (chosen.display || chosen.code) + ')' : ''));
    });
    if (reasons.length) {
      override.appendChild(reason);
    }
    override.appendChild(comment);
    override.appendChild(dismiss);
    buttons.push(dismiss, reason, comment);
    article.appendChild(override);
    article.appendChild(result);
    return article;
  }

  function linkOrText(label, url) {
    const href = url ? safeUrl(url) : null;
    if (!href) {
      return document.createTextNode(String(label));
    }
    const link = element('a', null, label);
    link.setAttribute('href', href);
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
    return link;
  }

  async function sendFeedback(serviceId, entry, describe, result, controls) {
    const enabled = controls.filter((control) => !control.disabled);
    enabled.forEach((control) => {
      control.disabled = true;
    });
    result.classList.remove('error');
    result.textContent = 'Sending feedback…';
    let answer;
    try {
      answer = await exchange('cds-services/' + encodeURIComponent(serviceId) + '/feedback', {
        method: 'POST',
        headers: Object.assign({ 'Content-Type': 'application/json' }, authorization()),
        body: JSON.stringify({ feedback: [entry] })
      });
    } catch (e) {
      answer = { ok: false, status: 0, json: null, text: e.message };
    }
    if (answer.ok) {
      result.textContent = 'Feedback recorded: ' + describe + '.';
      result.dataset.outcome = entry.outcome;
    } else {
      result.classList.add('error');
      result.textContent = 'Feedback refused: ' + problemOf(answer);
      enabled.forEach((control) => {
        control.disabled = false;
      });
    }
  }

  // ---- Start.

  document.addEventListener('DOMContentLoaded', () => {
    byId('example').addEventListener('change', chooseExample);
    byId('service').addEventListener('change', () => {
      pendingService = null;
      describeService();
    });
    byId('reload-services').addEventListener('click', loadServices);
    byId('send').addEventListener('click', send);
    loadExamples();
    loadServices();
  });
}());
