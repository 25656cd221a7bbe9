package io.eventy.autoconfigure.management;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in an application with Spring Security's CSRF protection on: the page
 * carries the request's token, and the endpoint's write operations take it.
 */
@SpringBootTest(classes = { ManagementTestApplication.class, EventyConsoleCsrfTests.Security.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=management-test", "eventy.service.namespace=urn:shop",
				"management.endpoints.web.exposure.include=eventy", "eventy.console.enabled=true",
				"eventy.management.write-operations.enabled=true" })
class EventyConsoleCsrfTests {

	private static final Pattern META = Pattern.compile("<meta name=\"(eventy-csrf-[a-z]+)\" content=\"([^\"]*)\">");

	@LocalServerPort
	private int port;

	private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

	@Test
	void writeOperationsWithTheTokenOfThePageAreAllowed() throws Exception {
		HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/eventy")).GET());
		assertThat(page.statusCode()).isEqualTo(200);
		String header = null;
		String token = null;
		Matcher matcher = META.matcher(page.body());
		while (matcher.find()) {
			if (matcher.group(1).equals("eventy-csrf-header")) {
				header = matcher.group(2);
			}
			else {
				token = matcher.group(2);
			}
		}
		assertThat(header).isEqualTo("X-CSRF-TOKEN");
		assertThat(token).isNotBlank();
		HttpResponse<String> redrive = send(redrive().header(header, token));
		assertThat(redrive.statusCode()).as(redrive.body()).isEqualTo(200);
		assertThat(redrive.body()).contains("\"action\":\"redrive\"");
	}

	@Test
	void writeOperationsWithoutTheTokenAreRefused() throws Exception {
		send(HttpRequest.newBuilder(uri("/eventy")).GET());
		assertThat(send(redrive()).statusCode()).isEqualTo(403);
	}

	private HttpRequest.Builder redrive() {
		return HttpRequest.newBuilder(uri("/actuator/eventy/orders"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"redrive\"}"));
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Every request allowed, CSRF protection on (Spring Security's default).
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	@Import(ManagementTestApplication.class)
	static class Security {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

}
