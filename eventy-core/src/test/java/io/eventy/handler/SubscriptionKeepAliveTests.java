package io.eventy.handler;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SubscriptionKeepAliveTests {

	private final String name = "keep-alive-" + UUID.randomUUID();

	private final SubscriptionKeepAlive keepAlive = new SubscriptionKeepAlive(this.name);

	@Test
	void holdsTheJvmWithOneNonDaemonThreadFromStartToStop() {
		assertThat(thread()).isEmpty();
		this.keepAlive.start();
		this.keepAlive.start();
		assertThat(this.keepAlive.isRunning()).isTrue();
		assertThat(Thread.getAllStackTraces().keySet()).filteredOn((thread) -> thread.getName().equals(this.name))
			.singleElement()
			.satisfies((thread) -> assertThat(thread.isDaemon()).isFalse());
		this.keepAlive.stop();
		assertThat(this.keepAlive.isRunning()).isFalse();
		await().atMost(Duration.ofSeconds(10)).until(() -> thread().isEmpty());
		this.keepAlive.stop();
	}

	private Optional<Thread> thread() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(this.name) && thread.isAlive())
			.findFirst();
	}

}
