package io.eventy.test;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * Marks the start of each test method of an {@link EventyTest} class, after its
 * {@code @BeforeEach} methods, for {@link EventyTestSupport#recorded()}.
 */
public final class EventyTestExecutionListener implements TestExecutionListener, Ordered {

	/**
	 * Create the listener; Spring's test framework does.
	 */
	public EventyTestExecutionListener() {
	}

	@Override
	public void beforeTestExecution(TestContext testContext) {
		if (TestContextAnnotationUtils.hasAnnotation(testContext.getTestClass(), EventyTest.class)) {
			testContext.getApplicationContext()
				.getBeanProvider(EventyTestSupport.class)
				.ifAvailable(EventyTestSupport::startTest);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
