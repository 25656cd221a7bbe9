/*
 * Eventy's web console: reads the 'eventy' actuator endpoint every 2 seconds and runs its
 * write operations. Every value shown is set as text (textContent, setAttribute), never
 * as HTML: records are user data.
 */
(function () {
	'use strict';

	var POLL_INTERVAL = 2000;
	var HISTORY = 60;
	var PAGE_SIZE = 20;

	function meta(name) {
		var element = document.querySelector('meta[name="' + name + '"]');
		return element ? element.getAttribute('content') : '';
	}

	var endpoint = meta('eventy-endpoint');
	var csrfHeader = meta('eventy-csrf-header');
	var csrfToken = meta('eventy-csrf-token');

	var rows = new Map();
	var lagHistory = new Map();
	var writeOperations = false;
	var selected = null;
	var offset = 0;
	var busy = false;

	function $(id) {
		return document.getElementById(id);
	}

	function element(tag, className, text) {
		var node = document.createElement(tag);
		if (className) {
			node.className = className;
		}
		if (text !== undefined && text !== null) {
			node.textContent = String(text);
		}
		return node;
	}

	function button(label, action, className) {
		var node = element('button', className, label);
		node.type = 'button';
		node.setAttribute('data-action', action);
		return node;
	}

	function showMessage(text, failure) {
		var message = $('message');
		message.textContent = text;
		message.className = failure ? 'message failure' : 'message';
		message.hidden = false;
	}

	function request(method, url, body) {
		var headers = { 'Accept': 'application/json' };
		if (body !== undefined) {
			headers['Content-Type'] = 'application/json';
		}
		if (method !== 'GET' && csrfHeader && csrfToken) {
			headers[csrfHeader] = csrfToken;
		}
		return fetch(url, {
			method: method,
			headers: headers,
			credentials: 'same-origin',
			cache: 'no-store',
			body: (body !== undefined) ? JSON.stringify(body) : undefined
		}).then(function (response) {
			return response.text().then(function (text) {
				var json = null;
				try {
					json = text ? JSON.parse(text) : null;
				}
				catch (ex) {
					json = null;
				}
				if (!response.ok) {
					var reason = (json && (json.message || json.error)) || ('HTTP ' + response.status);
					throw new Error(method + ' ' + url + ': ' + reason);
				}
				return json;
			});
		});
	}

	function subscriptionUrl(name) {
		return endpoint + '/' + encodeURIComponent(name);
	}

	function formatLag(lag) {
		return (lag < 0) ? '?' : String(lag);
	}

	function formatRate(rate) {
		return (Math.round(rate * 10) / 10).toFixed(1) + '/s';
	}

	var STATES = ['running', 'paused', 'catching_up', 'stalled', 'stopped'];

	function setState(node, state) {
		var value = String(state).toLowerCase();
		node.textContent = String(state).replace('_', ' ');
		node.className = 'state' + ((STATES.indexOf(value) >= 0) ? ' state-' + value : '');
	}

	function sparkline() {
		var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
		svg.setAttribute('class', 'sparkline');
		svg.setAttribute('width', '120');
		svg.setAttribute('height', '24');
		svg.setAttribute('viewBox', '0 0 120 24');
		svg.setAttribute('role', 'img');
		var title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
		svg.appendChild(title);
		var line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
		svg.appendChild(line);
		return svg;
	}

	function drawSparkline(svg, values) {
		var max = Math.max.apply(null, [1].concat(values));
		// spread over the width until the history is full, then one step per poll
		var step = 120 / Math.max(1, Math.min(values.length, HISTORY) - 1);
		var points = values.map(function (value, index) {
			var x = (values.length === 1) ? 120 : index * step;
			var y = 22 - (value / max) * 20;
			return x.toFixed(1) + ',' + y.toFixed(1);
		});
		svg.querySelector('polyline').setAttribute('points', points.join(' '));
		svg.querySelector('title').textContent = values.length
			? 'lag now ' + values[values.length - 1] + ', at most ' + Math.max.apply(null, values)
			: 'lag not known yet';
		svg.setAttribute('aria-label', svg.querySelector('title').textContent);
	}

	function row(name) {
		var existing = rows.get(name);
		if (existing) {
			return existing;
		}
		var tr = element('tr');
		tr.setAttribute('data-subscription', name);
		var cells = {};
		['name', 'store', 'guarantee', 'state', 'lag', 'trend', 'rate', 'deadLetters', 'lastError', 'actions']
			.forEach(function (key) {
				cells[key] = element('td');
				cells[key].setAttribute('data-field', key);
				tr.appendChild(cells[key]);
			});
		['lag', 'rate', 'deadLetters'].forEach(function (key) {
			cells[key].className = 'number';
		});
		var open = button(name, 'open', 'link');
		open.addEventListener('click', function () {
			select(name);
		});
		cells.name.appendChild(open);
		cells.stateBadge = element('span', 'state');
		cells.state.appendChild(cells.stateBadge);
		cells.svg = sparkline();
		cells.trend.appendChild(cells.svg);
		cells.lastError.className = 'error';
		cells.toggle = button('Pause', 'pause');
		cells.toggle.addEventListener('click', function () {
			var action = cells.toggle.getAttribute('data-action');
			operate(name, { action: action }, (action === 'pause') ? 'Paused ' + name : 'Resumed ' + name);
		});
		cells.actions.appendChild(cells.toggle);
		var entry = { tr: tr, cells: cells };
		rows.set(name, entry);
		return entry;
	}

	function renderSubscriptions(overview) {
		writeOperations = overview.writeOperations;
		$('mode').textContent = writeOperations ? 'write operations enabled' : 'read only';
		$('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
		var tbody = document.querySelector('#subscriptions tbody');
		var seen = new Set();
		overview.subscriptions.forEach(function (subscription) {
			var name = subscription.name;
			seen.add(name);
			var entry = row(name);
			var cells = entry.cells;
			cells.store.textContent = subscription.store;
			cells.guarantee.textContent = subscription.guarantee;
			setState(cells.stateBadge, subscription.state);
			cells.lag.textContent = formatLag(subscription.lag);
			cells.rate.textContent = formatRate(subscription.rate);
			cells.deadLetters.textContent = String(subscription.deadLetters);
			cells.lastError.textContent = subscription.lastError || '';
			cells.lastError.title = subscription.lastError
				? subscription.lastError + ' (' + subscription.lastErrorAt + ')' : '';
			var history = lagHistory.get(name) || [];
			if (subscription.lag >= 0) {
				history.push(subscription.lag);
				if (history.length > HISTORY) {
					history.shift();
				}
			}
			lagHistory.set(name, history);
			drawSparkline(cells.svg, history);
			var paused = subscription.state === 'PAUSED';
			cells.toggle.textContent = paused ? 'Resume' : 'Pause';
			cells.toggle.setAttribute('data-action', paused ? 'resume' : 'pause');
			cells.toggle.hidden = !writeOperations;
			entry.tr.classList.toggle('selected', name === selected);
			tbody.appendChild(entry.tr);
		});
		rows.forEach(function (entry, name) {
			if (!seen.has(name)) {
				entry.tr.remove();
				rows.delete(name);
				lagHistory.delete(name);
			}
		});
		$('empty').hidden = overview.subscriptions.length > 0;
		var abandoned = $('abandoned');
		abandoned.replaceChildren();
		overview.abandoned.forEach(function (name) {
			var item = element('li');
			item.setAttribute('data-subscription', name);
			var open = button(name, 'open', 'link');
			open.addEventListener('click', function () {
				select(name);
			});
			item.appendChild(open);
			abandoned.appendChild(item);
		});
		$('abandoned-section').hidden = overview.abandoned.length === 0;
	}

	function status(list, label, value) {
		list.appendChild(element('dt', null, label));
		list.appendChild(element('dd', null, value));
	}

	function renderDetails(details) {
		var section = $('details');
		section.hidden = false;
		section.setAttribute('data-subscription', details.name);
		$('details-name').textContent = details.name;
		var subscription = details.subscription;
		var list = $('details-status');
		list.replaceChildren();
		if (subscription) {
			setState($('details-state'), subscription.state);
			status(list, 'Store', subscription.store + ', ' + subscription.segments + ' segment(s)');
			status(list, 'Guarantee', subscription.guarantee);
			status(list, 'Lag', formatLag(subscription.lag));
			status(list, 'Rate', formatRate(subscription.rate));
			subscription.checkpoints.forEach(function (checkpoint) {
				status(list, 'Checkpoint ' + checkpoint.part, 'position ' + checkpoint.position + ', lag '
						+ formatLag(checkpoint.lag) + (checkpoint.owner ? ', on ' + checkpoint.owner : ''));
			});
			if (subscription.lastError) {
				status(list, 'Last error', subscription.lastError + ' (' + subscription.lastErrorAt + ')');
			}
		}
		else {
			setState($('details-state'), 'ABANDONED');
		}
		$('details-controls').hidden = !details.writeOperations;
		var running = !details.abandoned;
		var paused = subscription && subscription.state === 'PAUSED';
		$('pause').hidden = !running || paused;
		$('resume').hidden = !running || !paused;
		document.querySelector('#details-controls .reset').hidden = !running;
		$('forget').hidden = running;
		var page = details.deadLetters;
		$('redrive-all').disabled = !running || page.total === 0;
		$('discard-all').disabled = !running || page.total === 0;
		renderDeadLetters(details.name, page, details.writeOperations && running);
	}

	function renderDeadLetters(name, page, actions) {
		var list = $('dead-letters');
		var seen = new Set();
		var previous = null;
		page.items.forEach(function (letter) {
			var key = letter.id;
			seen.add(key);
			var item = list.querySelector('li[data-id="' + CSS.escape(key) + '"]');
			if (!item) {
				item = deadLetter(name, letter);
			}
			item.querySelector('.attempts').textContent = letter.attempts + ' attempt(s), dead since ' + letter.deadAt;
			item.querySelector('pre.last-error').textContent = letter.lastError;
			item.querySelector('.buttons').hidden = !actions;
			list.insertBefore(item, previous ? previous.nextSibling : list.firstChild);
			previous = item;
		});
		Array.prototype.slice.call(list.children).forEach(function (item) {
			if (!seen.has(item.getAttribute('data-id'))) {
				item.remove();
			}
		});
		$('no-dead-letters').hidden = page.total > 0;
		$('dead-letter-range').textContent = (page.total > 0)
			? (page.offset + 1) + '–' + (page.offset + page.items.length) + ' of ' + page.total : '';
		$('previous').disabled = page.offset === 0;
		$('next').disabled = page.offset + page.items.length >= page.total;
	}

	function deadLetter(name, letter) {
		var item = element('li', 'dead-letter');
		item.setAttribute('data-id', letter.id);
		if (letter.uuid) {
			item.setAttribute('data-uuid', letter.uuid);
		}
		var head = element('div', 'dead-letter-head');
		head.appendChild(element('span', 'name', letter.qualifiedName || '(unreadable record)'));
		head.appendChild(element('span', 'hint', letter.uuid || ('id ' + letter.id)));
		head.appendChild(element('span', 'hint attempts'));
		var buttons = element('span', 'buttons');
		if (letter.uuid) {
			var redrive = button('Re-drive', 'redrive');
			redrive.addEventListener('click', function () {
				operate(name, { action: 'redrive', uuid: letter.uuid }, 'Re-drove the dead letter of record '
						+ letter.uuid);
			});
			var discard = button('Discard', 'discard', 'danger');
			discard.addEventListener('click', function () {
				if (window.confirm('Discard the dead letter of record ' + letter.uuid + ' of ' + name
						+ '? The subscription never handles that record again.')) {
					operate(name, { action: 'discard', uuid: letter.uuid }, 'Discarded the dead letter of record '
							+ letter.uuid);
				}
			});
			buttons.appendChild(redrive);
			buttons.appendChild(discard);
		}
		head.appendChild(buttons);
		item.appendChild(head);
		if (!letter.readable) {
			item.appendChild(element('p', 'hint', 'Cannot be read: ' + letter.unreadable));
		}
		item.appendChild(element('pre', 'last-error'));
		item.appendChild(element('pre', 'json', pretty(letter.json)));
		return item;
	}

	function pretty(json) {
		try {
			return JSON.stringify(JSON.parse(json), null, 2);
		}
		catch (ex) {
			return json;
		}
	}

	function operate(name, body, done) {
		var url = subscriptionUrl(name);
		var call = (body === null) ? request('DELETE', url) : request('POST', url, body);
		return call.then(function (result) {
			var count = result && result.deadLetters;
			showMessage(done + ((count !== null && count !== undefined && body && !body.uuid)
				? ' (' + count + ' dead letter(s))' : ''), false);
			if (body === null) {
				selected = null;
				$('details').hidden = true;
			}
			return refresh();
		}, function (error) {
			showMessage(error.message, true);
		});
	}

	function select(name) {
		if (selected !== name) {
			selected = name;
			offset = 0;
			$('dead-letters').replaceChildren();
		}
		refresh();
	}

	function refresh() {
		if (busy) {
			return Promise.resolve();
		}
		busy = true;
		return request('GET', endpoint).then(function (overview) {
			renderSubscriptions(overview);
			if (selected === null) {
				return null;
			}
			var name = selected;
			return request('GET', subscriptionUrl(name) + '?offset=' + offset + '&limit=' + PAGE_SIZE)
				.then(function (details) {
					if (name === selected) {
						renderDetails(details);
					}
				}, function (error) {
					selected = null;
					$('details').hidden = true;
					throw error;
				});
		}).catch(function (error) {
			showMessage(error.message, true);
		}).then(function () {
			busy = false;
		});
	}

	function poll() {
		refresh().then(function () {
			window.setTimeout(poll, POLL_INTERVAL);
		});
	}

	function start() {
		if (!endpoint) {
			showMessage('The eventy actuator endpoint is not available to this page: expose it over HTTP '
					+ '(management.endpoints.web.exposure.include) on the application\'s own port (no separate '
					+ 'management.server.port).', true);
			return;
		}
		$('pause').addEventListener('click', function () {
			operate(selected, { action: 'pause' }, 'Paused ' + selected);
		});
		$('resume').addEventListener('click', function () {
			operate(selected, { action: 'resume' }, 'Resumed ' + selected);
		});
		$('reset-to').addEventListener('change', function () {
			var to = $('reset-to').value;
			$('reset-value').hidden = to !== 'position' && to !== 'time';
		});
		$('reset').addEventListener('click', function () {
			var to = $('reset-to').value;
			var body = { action: 'reset', to: to };
			var value = $('reset-value').value.trim();
			if (to === 'position') {
				body.position = Number(value);
			}
			else if (to === 'time') {
				body.time = value;
			}
			if (window.confirm('Reset ' + selected + ' to ' + to + (value && !$('reset-value').hidden ? ' ' + value : '')
					+ '? It handles the records after that point next.')) {
				operate(selected, body, 'Reset ' + selected + ' to ' + to);
			}
		});
		$('redrive-all').addEventListener('click', function () {
			operate(selected, { action: 'redrive' }, 'Re-drove the dead letters of ' + selected);
		});
		$('discard-all').addEventListener('click', function () {
			if (window.confirm('Discard every dead letter of ' + selected
					+ '? The subscription never handles those records again.')) {
				operate(selected, { action: 'discard' }, 'Discarded the dead letters of ' + selected);
			}
		});
		$('forget').addEventListener('click', function () {
			if (window.confirm('Forget ' + selected + ': delete its checkpoints and dead letters? Records stay.')) {
				operate(selected, null, 'Forgot ' + selected);
			}
		});
		$('previous').addEventListener('click', function () {
			offset = Math.max(0, offset - PAGE_SIZE);
			refresh();
		});
		$('next').addEventListener('click', function () {
			offset += PAGE_SIZE;
			refresh();
		});
		poll();
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', start);
	}
	else {
		start();
	}
})();
