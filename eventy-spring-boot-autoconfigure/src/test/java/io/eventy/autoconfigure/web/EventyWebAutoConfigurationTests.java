package io.eventy.autoconfigure.web;

import java.util.EnumSet;

import io.eventy.autoconfigure.EventyProperties;
import io.eventy.autoconfigure.tracing.EventyTracingAutoConfiguration;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

class EventyWebAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(EventyWebAutoConfiguration.class, EventyTracingAutoConfiguration.class));

	@Test
	@SuppressWarnings("unchecked")
	void registersTheFilterForRequestAsyncAndErrorDispatchesAfterTheObservationFilter() {
		this.runner.run((context) -> {
			FilterRegistrationBean<EventyRequestContextFilter> registration = context
				.getBean("eventyRequestContextFilter", FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(EventyRequestContextFilter.class);
			assertThat(registration.getOrder()).isEqualTo(-104).isGreaterThan(Ordered.HIGHEST_PRECEDENCE + 1);
			assertThat((EnumSet<DispatcherType>) ReflectionTestUtils.getField(registration, "dispatcherTypes"))
				.containsExactlyInAnyOrder(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		});
	}

	@Test
	void filterOrderDefaultMatchesTheProperty() {
		assertThat(new EventyProperties().getWeb().getFilterOrder()).isEqualTo(-104);
		assertThat(new EventyProperties().getWeb().isEnabled()).isTrue();
	}

	@Test
	@SuppressWarnings("unchecked")
	void usesTheConfiguredOrderAndHeaders() {
		this.runner
			.withPropertyValues("eventy.web.filter-order=5", "eventy.web.request-id-header=Request-Ref",
					"eventy.web.correlation-id-header=Trace-Ref")
			.run((context) -> {
				FilterRegistrationBean<EventyRequestContextFilter> registration = context
					.getBean("eventyRequestContextFilter", FilterRegistrationBean.class);
				assertThat(registration.getOrder()).isEqualTo(5);
				MockHttpServletRequest request = new MockHttpServletRequest();
				request.addHeader("Request-Ref", "r-1");
				MockHttpServletResponse response = new MockHttpServletResponse();
				registration.getFilter().doFilter(request, response, new MockFilterChain());
				assertThat(response.getHeader("Request-Ref")).isEqualTo("r-1");
			});
	}

	@Test
	void registersNoFilterWhenDisabled() {
		this.runner.withPropertyValues("eventy.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("eventyRequestContextFilter"));
	}

	@Test
	void registersNoFilterOutsideServletApplications() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(EventyWebAutoConfiguration.class, EventyTracingAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("eventyRequestContextFilter"));
	}

	@Test
	void backsOffToAFilterOfTheApplication() {
		this.runner
			.withBean("ownFilter", EventyRequestContextFilter.class,
					() -> new EventyRequestContextFilter("X-Request-Id", "X-Correlation-Id",
							io.eventy.context.TracingBridge.noop()))
			.run((context) -> assertThat(context).doesNotHaveBean("eventyRequestContextFilter")
				.hasSingleBean(EventyRequestContextFilter.class));
	}

}
