package io.eventy.autoconfigure.management;

import java.net.URI;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console served by a real server under a servlet context path, with the actuator
 * under a base path of its own.
 */
@SpringBootTest(classes = ManagementTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=management-test", "eventy.service.namespace=urn:shop",
				"server.servlet.context-path=/shop", "management.endpoints.web.base-path=/manage",
				"management.endpoints.web.exposure.include=eventy", "eventy.console.enabled=true",
				"eventy.console.path=/ops/eventy" })
class EventyConsoleServerTests {

	@LocalServerPort
	private int port;

	private RestTestClient client;

	@BeforeEach
	void client() {
		this.client = RestTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	@Test
	void servesThePageWithTheEndpointAndItsFilesRelativeToIt() {
		String page = page("/shop/ops/eventy");
		assertThat(page).contains("<meta name=\"eventy-endpoint\" content=\"../manage/eventy\">")
			.contains("href=\"eventy/console.css\"")
			.contains("src=\"eventy/console.js\"")
			.contains("<meta name=\"eventy-csrf-token\" content=\"\">");
		assertThat(page("/shop/ops/eventy/"))
			.contains("<meta name=\"eventy-endpoint\" content=\"../../manage/eventy\">")
			.contains("href=\"console.css\"")
			.contains("src=\"console.js\"");
	}

	@Test
	void theEndpointAddressOfThePageReachesTheEndpoint() {
		URI page = URI.create("http://localhost:" + this.port + "/shop/ops/eventy/");
		URI endpoint = page.resolve("../../manage/eventy");
		this.client.get()
			.uri(endpoint)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.subscriptions[0].name")
			.isEqualTo("orders");
	}

	@Test
	void servesThePageWithHeadersThatKeepItsOwnScriptTheOnlyOne() {
		this.client.get()
			.uri("/shop/ops/eventy")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueMatches("Content-Security-Policy", ".*script-src 'self';.*")
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader()
			.valueEquals("Cache-Control", "no-store");
	}

	@Test
	void servesItsScriptAndStyleSheetFromTheJar() {
		this.client.get()
			.uri("/shop/ops/eventy/console.js")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/javascript")
			.expectBody(String.class)
			.value((script) -> assertThat(script).contains("eventy-endpoint"));
		this.client.get()
			.uri("/shop/ops/eventy/console.css")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/css");
	}

	@Test
	void answers404ForAnythingElseUnderItsPath() {
		this.client.get().uri("/shop/ops/eventy/index.html").exchange().expectStatus().isNotFound();
		this.client.get().uri("/shop/ops/eventy/../eventy.js").exchange().expectStatus().isNotFound();
	}

	private String page(String path) {
		String page = this.client.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).isNotNull();
		return page;
	}

}
