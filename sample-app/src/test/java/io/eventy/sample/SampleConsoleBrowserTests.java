package io.eventy.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.eventy.handler.DeadLetter;
import io.eventy.handler.DeadLetters;
import io.eventy.handler.SubscriptionStatus;
import io.eventy.handler.Subscriptions;
import io.eventy.test.EventyTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console of the running sample in a real headless Chromium (Debian's
 * {@code chromium} and {@code chromium-driver}; {@code .ci/run} installs them): it lists
 * the sample's subscriptions, shows the dead letter of an order shipped with a carrier
 * the shop has no account with, and re-drives it from its button once the account is
 * open. Record data is shown as text: the dead letter of a carrier that is markup creates
 * no element and runs no script; it is discarded from its button.
 * <p>
 * Run with {@code -Dconsole.screenshot=../docs/console.png} to refresh the README's
 * screenshot; every run writes {@code target/console.png}.
 */
@AutoConfigureTestRestTemplate
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.demo.enabled=false", "eventy.handlers.retry.max-attempts=3",
				"eventy.handlers.retry.initial-interval=50ms" })
@EventyTest
class SampleConsoleBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private static final String HOSTILE_CARRIER = "<img src=x onerror=\"window.eventyConsoleHacked=1\">";

	@LocalServerPort
	private int port;

	@Autowired
	private TestRestTemplate http;

	@Autowired
	private Subscriptions subscriptions;

	@Autowired
	private DeadLetters deadLetters;

	@Autowired
	private JdbcTemplate jdbc;

	private Path profile;

	private WebDriver browser;

	@BeforeEach
	void startChromium() throws IOException {
		// a missing browser fails the test: it is never skipped
		assertThat(CHROMIUM).as("Chromium: apt-get install chromium chromium-driver").isExecutable();
		assertThat(CHROMEDRIVER).as("ChromeDriver: apt-get install chromium chromium-driver").isExecutable();
		this.profile = Files.createTempDirectory("eventy-console-chromium");
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=1440,1000", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
		this.browser.manage().window().setSize(new Dimension(1440, 1000));
	}

	@AfterEach
	void stopChromium() throws IOException {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.profile != null) {
			try (var files = Files.walk(this.profile)) {
				files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
	}

	@Test
	void listsTheSubscriptionsShowsDeadLettersAsTextAndReDrivesOneFromItsButton() throws IOException {
		String orderId = place("Ada", 4200);
		ship(orderId, "Parcel Express");
		String stuckOrderId = place("Grace", 1800);
		ship(stuckOrderId, "Snail Mail");
		await().atMost(DEADLINE).until(() -> this.deadLetters.count("shipping-labels") == 1);
		DeadLetter letter = this.deadLetters.list("shipping-labels").get(0);

		this.browser.get("http://localhost:" + this.port + "/eventy");
		WebDriverWait wait = new WebDriverWait(this.browser, DEADLINE);
		List<String> names = this.subscriptions.list().stream().map(SubscriptionStatus::name).toList();
		assertThat(names).contains("invoices", "order-summary", "shipping-labels");
		for (String name : names) {
			wait.until(ExpectedConditions
				.visibilityOfElementLocated(By.cssSelector("#subscriptions tr[data-subscription='" + name + "']")));
		}
		assertThat(this.browser.findElements(By.cssSelector("#subscriptions tbody tr")))
			.extracting((row) -> row.getAttribute("data-subscription"))
			.containsExactlyElementsOf(names);
		assertThat(this.browser.findElement(By.id("mode")).getText()).isEqualTo("write operations enabled");
		By stuckCount = By.cssSelector("tr[data-subscription='shipping-labels'] td[data-field='deadLetters']");
		wait.until(ExpectedConditions.textToBe(stuckCount, "1"));

		this.browser.findElement(By.cssSelector("tr[data-subscription='shipping-labels'] button[data-action='open']"))
			.click();
		By deadLetter = By.cssSelector("#dead-letters li[data-uuid='" + letter.uuid() + "']");
		WebElement item = wait.until(ExpectedConditions.visibilityOfElementLocated(deadLetter));
		assertThat(item.findElement(By.cssSelector(".name")).getText()).isEqualTo("urn:shop:OrderShipped");
		assertThat(item.findElement(By.cssSelector("pre.json")).getText()).contains("\"carrier\": \"Snail Mail\"",
				stuckOrderId);
		wait.until(
				ExpectedConditions.textToBePresentInElementLocated(deadLetter, "No account with carrier 'Snail Mail'"));
		// the lag sparklines have a few points
		wait.until((driver) -> driver.findElements(By.cssSelector("svg.sparkline polyline[points*=' ']")).size() >= 3);
		screenshot();

		// record data is shown as text, never run: a carrier that is markup stays text
		String hostileOrderId = place("Mallory", 100);
		ship(hostileOrderId, HOSTILE_CARRIER);
		await().atMost(DEADLINE).until(() -> this.deadLetters.count("shipping-labels") == 2);
		UUID hostileUuid = this.deadLetters.list("shipping-labels")
			.stream()
			.map(DeadLetter::uuid)
			.filter((uuid) -> !uuid.equals(letter.uuid()))
			.findFirst()
			.orElseThrow();
		By hostileLetter = By.cssSelector("#dead-letters li[data-uuid='" + hostileUuid + "']");
		WebElement hostile = wait.until(ExpectedConditions.visibilityOfElementLocated(hostileLetter));
		assertThat(hostile.findElement(By.cssSelector("pre.json")).getText())
			.contains(HOSTILE_CARRIER.replace("\"", "\\\""));
		assertThat(hostile.findElement(By.cssSelector("pre.last-error")).getText()).contains(HOSTILE_CARRIER);
		assertThat(this.browser.findElements(By.cssSelector("#dead-letters img"))).isEmpty();
		assertThat(((JavascriptExecutor) this.browser).executeScript("return window.eventyConsoleHacked === undefined"))
			.isEqualTo(true);
		// discarded from its button, after the confirmation
		hostile.findElement(By.cssSelector("button[data-action='discard']")).click();
		wait.until(ExpectedConditions.alertIsPresent()).accept();
		wait.until(ExpectedConditions.invisibilityOfElementLocated(hostileLetter));
		wait.until(ExpectedConditions.textToBe(stuckCount, "1"));
		assertThat(this.deadLetters.list("shipping-labels")).extracting(DeadLetter::uuid)
			.containsExactly(letter.uuid());

		HttpStatusCode opened = this.http
			.exchange("/carriers/{carrier}", HttpMethod.PUT, HttpEntity.EMPTY, Void.class, "Snail Mail")
			.getStatusCode();
		assertThat(opened).isEqualTo(HttpStatus.NO_CONTENT);
		item.findElement(By.cssSelector("button[data-action='redrive']")).click();

		wait.until(ExpectedConditions.invisibilityOfElementLocated(deadLetter));
		wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("no-dead-letters")));
		wait.until(ExpectedConditions.textToBe(stuckCount, "0"));
		assertThat(this.browser.findElement(By.id("message")).getText())
			.isEqualTo("Re-drove the dead letter of record " + letter.uuid());
		assertThat(this.deadLetters.count("shipping-labels")).isZero();
		assertThat(this.jdbc.queryForList("select carrier from shipping_label where order_id = ?", String.class,
				stuckOrderId))
			.containsExactly("Snail Mail");
	}

	private void screenshot() throws IOException {
		byte[] png = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.BYTES);
		Files.write(Path.of("target", "console.png"), png);
		String copy = System.getProperty("console.screenshot");
		if (copy != null && !copy.isBlank()) {
			Files.write(Path.of(copy), png);
		}
	}

	private String place(String customer, long amountCents) {
		JsonNode placed = this.http.postForObject("/orders", Map.of("customer", customer, "amountCents", amountCents),
				JsonNode.class);
		assertThat(placed).isNotNull();
		return placed.path("orderId").asString();
	}

	private void ship(String orderId, String carrier) {
		assertThat(this.http.postForEntity("/orders/{id}/ship", Map.of("carrier", carrier), JsonNode.class, orderId)
			.getStatusCode()
			.is2xxSuccessful()).isTrue();
	}

}
