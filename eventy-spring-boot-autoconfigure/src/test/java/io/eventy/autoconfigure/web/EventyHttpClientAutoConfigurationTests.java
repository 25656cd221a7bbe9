package io.eventy.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;

import io.eventy.context.EventyContext;
import io.eventy.context.EventyContextHolder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

class EventyHttpClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(EventyHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
					RestTemplateAutoConfiguration.class, WebClientAutoConfiguration.class));

	@Test
	void customizesRestClientsAndRestTemplates() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EventyContextClientHttpRequestInterceptor.class);
			assertThat(context).hasBean("eventyRestClientCustomizer").hasBean("eventyRestTemplateCustomizer");
			EventyContextClientHttpRequestInterceptor interceptor = context
				.getBean(EventyContextClientHttpRequestInterceptor.class);
			RestTemplate restTemplate = context.getBean(org.springframework.boot.restclient.RestTemplateBuilder.class)
				.build();
			assertThat(restTemplate.getInterceptors()).contains(interceptor);
			List<ClientHttpRequestInterceptor> restClientInterceptors = new ArrayList<>();
			context.getBean(RestClient.Builder.class).requestInterceptors(restClientInterceptors::addAll);
			assertThat(restClientInterceptors).contains(interceptor);
		});
	}

	@Test
	void interceptorSendsTheIdsUnderConfiguredHeaders() {
		this.runner
			.withPropertyValues("eventy.web.request-id-header=Request-Ref",
					"eventy.web.correlation-id-header=Trace-Ref")
			.run((context) -> {
				EventyContextClientHttpRequestInterceptor interceptor = context
					.getBean(EventyContextClientHttpRequestInterceptor.class);
				MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET, "/");
				try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of("t-1", "r-1"))) {
					interceptor.intercept(request, new byte[0], (req, body) -> new MockClientHttpResponse());
				}
				assertThat(request.getHeaders().getFirst("Request-Ref")).isEqualTo("r-1");
				assertThat(request.getHeaders().getFirst("Trace-Ref")).isEqualTo("t-1");
			});
	}

	@Test
	void interceptorKeepsHeadersTheCallerSetAndAddsNothingOutsideAContext() {
		this.runner.run((context) -> {
			EventyContextClientHttpRequestInterceptor interceptor = context
				.getBean(EventyContextClientHttpRequestInterceptor.class);
			MockClientHttpRequest own = new MockClientHttpRequest(HttpMethod.GET, "/");
			own.getHeaders().set("X-Request-Id", "mine");
			try (EventyContextHolder.Scope scope = EventyContextHolder.open(EventyContext.of("t-1", "r-1"))) {
				interceptor.intercept(own, new byte[0], (req, body) -> new MockClientHttpResponse());
			}
			assertThat(own.getHeaders().get("X-Request-Id")).containsExactly("mine");
			assertThat(own.getHeaders().getFirst("X-Correlation-Id")).isEqualTo("t-1");
			MockClientHttpRequest outside = new MockClientHttpRequest(HttpMethod.GET, "/");
			interceptor.intercept(outside, new byte[0], (req, body) -> new MockClientHttpResponse());
			assertThat(outside.getHeaders().isEmpty()).isTrue();
		});
	}

	@Test
	void customizesWebClients() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EventyContextExchangeFilterFunction.class)
				.hasBean("eventyWebClientCustomizer");
			EventyContextExchangeFilterFunction filter = context.getBean(EventyContextExchangeFilterFunction.class);
			List<ExchangeFilterFunction> filters = new ArrayList<>();
			context.getBean(WebClient.Builder.class).filters(filters::addAll);
			assertThat(filters).contains(filter);
		});
	}

	@Test
	void skipsTheWebClientCustomizerWithoutWebClient() {
		this.runner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(WebClientCustomizer.class)
				.doesNotHaveBean(EventyContextExchangeFilterFunction.class)
				.hasBean("eventyRestClientCustomizer")
				.hasBean("eventyRestTemplateCustomizer"));
	}

	@Test
	void skipsTheRestClientCustomizerWithoutRestClient() {
		this.runner.withClassLoader(new FilteredClassLoader(RestClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RestClientCustomizer.class)
				.hasBean("eventyRestTemplateCustomizer")
				.hasBean("eventyWebClientCustomizer"));
	}

	@Test
	void skipsTheRestTemplateCustomizerWithoutRestTemplate() {
		this.runner.withClassLoader(new FilteredClassLoader(RestTemplate.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RestTemplateCustomizer.class)
				.hasBean("eventyRestClientCustomizer")
				.hasBean("eventyWebClientCustomizer"));
	}

}
