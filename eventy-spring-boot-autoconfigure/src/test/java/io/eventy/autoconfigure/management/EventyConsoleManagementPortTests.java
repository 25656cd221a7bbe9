package io.eventy.autoconfigure.management;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console of an application whose actuator runs on a port of its own: the page
 * cannot reach the endpoint there, and says so rather than calling a wrong address.
 */
@SpringBootTest(classes = ManagementTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=management-test", "eventy.service.namespace=urn:shop",
				"management.server.port=0", "management.endpoints.web.exposure.include=eventy",
				"eventy.console.enabled=true" })
class EventyConsoleManagementPortTests {

	@LocalServerPort
	private int port;

	@Test
	void servesThePageWithoutAnEndpointAddress() {
		String page = RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.build()
			.get()
			.uri("/eventy")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("<meta name=\"eventy-endpoint\" content=\"\">");
	}

}
