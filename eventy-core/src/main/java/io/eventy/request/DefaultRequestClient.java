package io.eventy.request;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import io.eventy.record.EventyRecord;
import io.eventy.record.RecordFactory;
import io.eventy.record.RecordKind;
import io.eventy.service.ServiceRegistry;
import io.eventy.store.EventStore;
import io.eventy.store.StoredRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RequestClient}: stores each request with the {@link EventStore}, keeps its
 * future until a response listener of the store hands over the response
 * ({@link #accept(StoredRecord)}) or the timeout passes.
 * <p>
 * Pending requests are bounded ({@code maxPending}); a timed-out one is removed at once,
 * and its uuid kept for a while (at most {@code maxPending} of them) so that a response
 * that comes after its timeout is logged (WARN) and counted ({@link #lateResponses()})
 * rather than passed over silently. A response to a request this instance did not send
 * (another instance of the service sent it, or this one before a restart) is logged at
 * DEBUG and counted ({@link #unmatchedResponses()}). Either stays a stored record that an
 * {@code @EventHandler} of its type still handles.
 * <p>
 * Response listeners read the responses addressed to this service: on Kafka, every
 * instance reads every partition of the responses topics it sends requests to; on
 * PostgreSQL each instance looks for the responses to its own awaited requests
 * ({@link #awaitedRequests()}).
 */
public final class DefaultRequestClient implements RequestClient, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DefaultRequestClient.class);

	private final EventStore store;

	private final RecordFactory factory;

	private final ServiceRegistry services;

	private final Duration defaultTimeout;

	private final int maxPending;

	private final Map<UUID, Pending<?>> pending = new ConcurrentHashMap<>();

	// uuid -> position of requests that timed out, oldest first, at most maxPending
	private final Map<UUID, Long> timedOut = new LinkedHashMap<>();

	private final AtomicLong late = new AtomicLong();

	private final AtomicLong unmatched = new AtomicLong();

	private final ScheduledExecutorService timer;

	/**
	 * Create a client.
	 * @param store where requests are stored
	 * @param factory builds request records from payloads
	 * @param services the services, which route requests and tell which responses are
	 * addressed to this service
	 * @param defaultTimeout the timeout of {@link #send(Object, Class)}
	 * @param maxPending the most requests that may await their responses at once
	 */
	public DefaultRequestClient(EventStore store, RecordFactory factory, ServiceRegistry services,
			Duration defaultTimeout, int maxPending) {
		this.store = Objects.requireNonNull(store, "store");
		this.factory = Objects.requireNonNull(factory, "factory");
		this.services = Objects.requireNonNull(services, "services");
		this.defaultTimeout = checkTimeout(defaultTimeout);
		if (maxPending < 1) {
			throw new IllegalArgumentException("maxPending must be at least 1, was " + maxPending);
		}
		this.maxPending = maxPending;
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "eventy-request-timeouts");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public <R> CompletableFuture<R> send(Object request, Class<R> responseType) {
		return send(request, responseType, this.defaultTimeout);
	}

	@Override
	public <R> CompletableFuture<R> send(Object request, Class<R> responseType, Duration timeout) {
		Objects.requireNonNull(request, "request");
		Objects.requireNonNull(responseType, "responseType");
		checkTimeout(timeout);
		EventyRecord record = this.factory.create(request, null);
		if (record.kind() != RecordKind.REQUEST) {
			throw new IllegalArgumentException("RequestClient sends requests; " + record.qualifiedName() + " is an "
					+ record.kind() + ". Declare its type with @RecordType(kind = RecordKind.REQUEST)");
		}
		this.services.targetOf(record);
		if (this.pending.size() >= this.maxPending) {
			throw new TooManyPendingRequestsException(this.maxPending);
		}
		// registered before it is stored: the response may come at once
		Pending<R> entry = new Pending<>(record, responseType, timeout);
		this.pending.put(record.uuid(), entry);
		try {
			StoredRecord stored = this.store.publish(record);
			entry.position = stored.position();
		}
		catch (RuntimeException | Error ex) {
			this.pending.remove(record.uuid());
			throw ex;
		}
		entry.timeout = this.timer.schedule(() -> timeOut(entry), timeout.toNanos(), TimeUnit.NANOSECONDS);
		return entry.future;
	}

	/**
	 * Complete the request a response answers. Response listeners call it with each
	 * response they read; responses not addressed to this service are passed over.
	 * @param stored a response as stored
	 * @return whether it completed a pending request of this instance
	 */
	public boolean accept(StoredRecord stored) {
		EventyRecord response = stored.record();
		if (response.kind() != RecordKind.RESPONSE || response.requestUuid() == null || response.destination() == null
				|| !this.services.isAddressedToThisService(response.destination())) {
			return false;
		}
		UUID requestUuid = response.requestUuid();
		Pending<?> entry = this.pending.remove(requestUuid);
		if (entry == null) {
			Long wasTimedOut;
			synchronized (this.timedOut) {
				wasTimedOut = this.timedOut.remove(requestUuid);
			}
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(contextOf(stored))) {
				if (wasTimedOut != null) {
					this.late.incrementAndGet();
					logger.warn("Response {} {} to request {} came after the request timed out; it stays stored",
							response.qualifiedName(), response.uuid(), requestUuid);
				}
				else {
					this.unmatched.incrementAndGet();
					logger.debug(
							"Response {} {} to request {} is not awaited here (another instance sent it, "
									+ "or this one before a restart)",
							response.qualifiedName(), response.uuid(), requestUuid);
				}
			}
			return false;
		}
		ScheduledFuture<?> timeout = entry.timeout;
		if (timeout != null) {
			timeout.cancel(false);
		}
		try (EventyContextHolder.Scope scope = EventyContextHolder.open(contextOf(stored))) {
			entry.complete(stored);
		}
		return true;
	}

	/**
	 * Return the requests whose responses this instance looks for: the pending ones and
	 * those that timed out lately.
	 * @return the awaited requests
	 */
	public List<AwaitedRequest> awaitedRequests() {
		List<AwaitedRequest> awaited = new ArrayList<>(this.pending.size());
		this.pending.forEach((uuid, entry) -> {
			if (entry.position >= 0) {
				awaited.add(new AwaitedRequest(uuid, entry.position));
			}
		});
		synchronized (this.timedOut) {
			this.timedOut.forEach((uuid, position) -> awaited.add(new AwaitedRequest(uuid, position)));
		}
		return awaited;
	}

	/**
	 * Return how many requests await their responses.
	 * @return the pending requests
	 */
	public int pendingRequests() {
		return this.pending.size();
	}

	/**
	 * Return how many responses came after their request's timeout.
	 * @return the late responses since the start
	 */
	public long lateResponses() {
		return this.late.get();
	}

	/**
	 * Return how many responses addressed to this service answered no request this
	 * instance awaits or awaited lately.
	 * @return the unmatched responses since the start
	 */
	public long unmatchedResponses() {
		return this.unmatched.get();
	}

	/**
	 * Stop the timer; pending futures complete exceptionally.
	 */
	@Override
	public void close() {
		this.timer.shutdownNow();
		for (Iterator<Pending<?>> entries = this.pending.values().iterator(); entries.hasNext();) {
			Pending<?> entry = entries.next();
			entries.remove();
			entry.future.completeExceptionally(new IllegalStateException("The request client was closed"));
		}
	}

	private void timeOut(Pending<?> entry) {
		if (this.pending.remove(entry.record.uuid(), entry)) {
			synchronized (this.timedOut) {
				this.timedOut.put(entry.record.uuid(), entry.position);
				if (this.timedOut.size() > this.maxPending) {
					Iterator<UUID> oldest = this.timedOut.keySet().iterator();
					oldest.next();
					oldest.remove();
				}
			}
			entry.future.completeExceptionally(
					new RequestTimeoutException(entry.record.uuid(), entry.record.qualifiedName(), entry.timeoutValue));
		}
	}

	// dependent stages of the future run with the response's ids and context entries
	private static EventyContext contextOf(StoredRecord stored) {
		EventyRecord response = stored.record();
		return EventyContext.ofRecord(response.correlationId(), stored.requestId(), response.uuid().toString())
			.withContext(response.context());
	}

	private static Duration checkTimeout(Duration timeout) {
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("A request timeout must be positive, was " + timeout);
		}
		return timeout;
	}

	private static final class Pending<R> {

		final EventyRecord record;

		final Class<R> responseType;

		final Duration timeoutValue;

		final CompletableFuture<R> future = new CompletableFuture<>();

		volatile long position = -1;

		volatile @Nullable ScheduledFuture<?> timeout;

		Pending(EventyRecord record, Class<R> responseType, Duration timeoutValue) {
			this.record = record;
			this.responseType = responseType;
			this.timeoutValue = timeoutValue;
		}

		// the response's data as the type, through the upcasters like every payload
		void complete(StoredRecord stored) {
			EventyRecord response = stored.record();
			if (!Boolean.TRUE.equals(response.ok())) {
				this.future.completeExceptionally(new ErrorResponseException(response));
				return;
			}
			try {
				this.future.complete(stored.payload(this.responseType));
			}
			catch (RuntimeException ex) {
				this.future.completeExceptionally(ex);
			}
		}

	}

}
