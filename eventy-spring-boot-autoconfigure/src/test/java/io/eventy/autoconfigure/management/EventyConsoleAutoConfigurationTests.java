package io.eventy.autoconfigure.management;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventyConsoleAutoConfiguration}.
 */
class EventyConsoleAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EventyConsoleAutoConfiguration.class));

	@Test
	void servesNoConsoleByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean("eventyConsoleServlet"));
	}

	@Test
	void servesTheConsoleAtEventyWhenItIsEnabled() {
		this.contextRunner.withPropertyValues("eventy.console.enabled=true").run((context) -> {
			ServletRegistrationBean<?> registration = context.getBean("eventyConsoleServlet",
					ServletRegistrationBean.class);
			assertThat(registration.getServlet()).isInstanceOf(EventyConsoleServlet.class);
			assertThat(registration.getUrlMappings()).containsExactly("/eventy", "/eventy/*");
		});
	}

	@Test
	void servesTheConsoleAtTheConfiguredPath() {
		this.contextRunner.withPropertyValues("eventy.console.enabled=true", "eventy.console.path=/ops/events")
			.run((context) -> assertThat(
					context.getBean("eventyConsoleServlet", ServletRegistrationBean.class).getUrlMappings())
				.containsExactly("/ops/events", "/ops/events/*"));
	}

	@Test
	void failsWithAClearMessageOnAPathThatIsNotOne() {
		this.contextRunner.withPropertyValues("eventy.console.enabled=true", "eventy.console.path=eventy/")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("must be a path of one or more segments"));
	}

	@Test
	void servesNoConsoleInAnApplicationThatIsNotAServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventyConsoleAutoConfiguration.class))
			.withPropertyValues("eventy.console.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean("eventyConsoleServlet"));
	}

	@Test
	void servesNoConsoleWithoutTheActuator() {
		this.contextRunner.withPropertyValues("eventy.console.enabled=true")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.endpoint.web"))
			.run((context) -> assertThat(context).doesNotHaveBean("eventyConsoleServlet"));
	}

}
