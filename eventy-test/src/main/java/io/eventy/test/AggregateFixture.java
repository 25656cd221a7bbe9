package io.eventy.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import io.eventy.aggregate.AggregateType;
import io.eventy.store.StreamId;
import org.jspecify.annotations.Nullable;

/**
 * Tests an aggregate's commands in memory, given what happened before:
 *
 * <pre class="code">
 * AggregateFixture.of(Account.class)
 *     .given(new AccountOpened("Ada"))
 *     .when((account) -&gt; account.deposit(500))
 *     .then(new Deposited(500));
 * </pre>
 *
 * The past payloads are applied through the {@link AggregateType} as
 * {@link io.eventy.aggregate.Aggregates#load Aggregates.load} applies stored records
 * (payloads of a type the aggregate does not apply are skipped), and the command runs as
 * in {@link io.eventy.aggregate.Aggregates#update Aggregates.update}: its new payloads
 * are those it returns followed by those it recorded in the aggregate
 * ({@link io.eventy.aggregate.PendingRecords}). No store, no Spring context.
 *
 * @param <T> the aggregate's class
 */
public final class AggregateFixture<T> {

	private final AggregateType<T> type;

	private final StreamId stream;

	private final List<Object> history;

	private AggregateFixture(AggregateType<T> type, StreamId stream, List<Object> history) {
		this.type = type;
		this.stream = stream;
		this.history = history;
	}

	/**
	 * Start a fixture for an aggregate type, in a stream named after it.
	 * @param <T> the aggregate's class
	 * @param type the aggregate type
	 * @return the fixture, with no past payload
	 */
	public static <T> AggregateFixture<T> of(AggregateType<T> type) {
		Objects.requireNonNull(type, "type");
		return new AggregateFixture<>(type, StreamId.of(type.name().toLowerCase(Locale.ROOT), "fixture"), List.of());
	}

	/**
	 * Start a fixture for an aggregate class described by annotations
	 * ({@link AggregateType#of(Class)}).
	 * @param <T> the aggregate's class
	 * @param type the aggregate class
	 * @return the fixture, with no past payload
	 */
	public static <T> AggregateFixture<T> of(Class<T> type) {
		return of(AggregateType.of(type));
	}

	/**
	 * Use another stream: the one the aggregate's initial state is created for.
	 * @param stream the stream
	 * @return a fixture on that stream
	 */
	public AggregateFixture<T> inStream(StreamId stream) {
		return new AggregateFixture<>(this.type, Objects.requireNonNull(stream, "stream"), this.history);
	}

	/**
	 * Add past payloads, as if stored in the aggregate's stream, in order.
	 * @param payloads the payloads
	 * @return a fixture with them after those given before
	 */
	public AggregateFixture<T> given(Object... payloads) {
		List<Object> past = new ArrayList<>(this.history);
		for (Object payload : payloads) {
			past.add(Objects.requireNonNull(payload, "A past payload must not be null"));
		}
		return new AggregateFixture<>(this.type, this.stream, List.copyOf(past));
	}

	/**
	 * Return the aggregate's state after the past payloads.
	 * @return the state
	 */
	public T state() {
		T state = Objects.requireNonNull(this.type.create(this.stream), () -> this.type + " created a null state");
		for (Object payload : this.history) {
			state = applyIfApplied(state, payload);
		}
		return state;
	}

	/**
	 * Run a command on the aggregate's state after the past payloads.
	 * @param command decides the new payloads, as given to
	 * {@link io.eventy.aggregate.Aggregates#update Aggregates.update}
	 * @return the outcome, to assert on
	 */
	public Outcome<T> when(Function<? super T, ? extends List<?>> command) {
		Objects.requireNonNull(command, "command");
		T state = state();
		try {
			List<?> decided = command.apply(state);
			List<Object> payloads = new ArrayList<>((decided != null) ? decided : List.of());
			payloads.addAll(this.type.takePending(state));
			T after = state;
			for (Object payload : payloads) {
				Objects.requireNonNull(payload, "The command decided a null payload");
				after = applyIfApplied(after, payload);
			}
			return new Outcome<>(List.copyOf(payloads), after, null);
		}
		catch (RuntimeException ex) {
			return new Outcome<>(List.of(), state, ex);
		}
	}

	private T applyIfApplied(T state, Object payload) {
		if (!this.type.payloadTypes().contains(payload.getClass())) {
			return state;
		}
		T next = this.type.apply(state, payload);
		if (next == null) {
			throw new IllegalStateException(this.type + " returned a null state for " + payload.getClass().getName());
		}
		return next;
	}

	/**
	 * What a command did: the payloads it decided, or the exception it threw.
	 *
	 * @param <T> the aggregate's class
	 */
	public static final class Outcome<T> {

		private final List<Object> payloads;

		private final T state;

		private final @Nullable RuntimeException failure;

		private Outcome(List<Object> payloads, T state, @Nullable RuntimeException failure) {
			this.payloads = payloads;
			this.state = state;
			this.failure = failure;
		}

		/**
		 * Verify that the command decided exactly these payloads, in order (compared with
		 * {@code equals}); none for a command that decides nothing.
		 * @param expected the expected new payloads
		 * @return this, for assertions on the state after them
		 * @throws AssertionError if the command threw or decided other payloads
		 */
		public Outcome<T> then(Object... expected) {
			requireNoFailure();
			List<Object> wanted = Arrays.asList(expected);
			if (!wanted.equals(this.payloads)) {
				throw new AssertionError("Expecting the command to decide " + describe(wanted) + "\nbut it decided "
						+ describe(this.payloads));
			}
			return this;
		}

		/**
		 * Verify that the command threw an exception of a type (or a subtype), and
		 * nothing was decided.
		 * @param <E> the exception type
		 * @param type the expected exception type
		 * @return the exception, for assertions on its message
		 * @throws AssertionError if the command threw nothing or something else
		 */
		public <E extends Throwable> E thenThrows(Class<E> type) {
			RuntimeException thrown = this.failure;
			if (thrown == null) {
				throw new AssertionError("Expecting the command to throw " + type.getName() + "\nbut it decided "
						+ describe(this.payloads));
			}
			if (!type.isInstance(thrown)) {
				AssertionError error = new AssertionError(
						"Expecting the command to throw " + type.getName() + "\nbut it threw " + thrown);
				error.initCause(thrown);
				throw error;
			}
			return type.cast(thrown);
		}

		/**
		 * Verify the aggregate's state after the new payloads were applied.
		 * @param requirements assertions on the state
		 * @return this
		 */
		public Outcome<T> thenState(Consumer<? super T> requirements) {
			requireNoFailure();
			requirements.accept(this.state);
			return this;
		}

		/**
		 * Return the payloads the command decided.
		 * @return the payloads, in order
		 */
		public List<Object> payloads() {
			requireNoFailure();
			return this.payloads;
		}

		/**
		 * Return the aggregate's state after the new payloads.
		 * @return the state
		 */
		public T state() {
			requireNoFailure();
			return this.state;
		}

		private void requireNoFailure() {
			RuntimeException thrown = this.failure;
			if (thrown != null) {
				AssertionError error = new AssertionError(
						"Expecting the command to decide payloads but it threw " + thrown);
				error.initCause(thrown);
				throw error;
			}
		}

		private static String describe(List<?> payloads) {
			return payloads.isEmpty() ? "no payload" : payloads.toString();
		}

	}

}
