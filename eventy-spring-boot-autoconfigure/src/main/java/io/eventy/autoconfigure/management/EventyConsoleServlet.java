package io.eventy.autoconfigure.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Serves the web console: its page, rendered for each request with where the
 * {@code eventy} endpoint is (relative to the page, so that it works behind a context
 * path and a proxy that strips a prefix) and Spring Security's CSRF token when the
 * request has one, and its script and style sheet from the jar.
 */
final class EventyConsoleServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	private static final String LOCATION = "META-INF/eventy/console/";

	private static final String CSRF_TOKEN_CLASS = "org.springframework.security.web.csrf.CsrfToken";

	private static final EndpointId ENDPOINT_ID = EndpointId.of("eventy");

	private static final Map<String, String> ASSETS = Map.of("/console.js", "text/javascript;charset=UTF-8",
			"/console.css", "text/css;charset=UTF-8");

	private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

	private final String path;

	private final transient Supplier<@Nullable PathMappedEndpoints> endpoints;

	private final String page;

	EventyConsoleServlet(String path, Supplier<@Nullable PathMappedEndpoints> endpoints) {
		this.path = path;
		this.endpoints = endpoints;
		this.page = new String(read("index.html"), StandardCharsets.UTF_8);
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String pathInfo = request.getPathInfo();
		if (pathInfo == null || pathInfo.equals("/")) {
			page(request, response, pathInfo == null);
			return;
		}
		String contentType = ASSETS.get(pathInfo);
		if (contentType == null) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		byte[] body = read(pathInfo.substring(1));
		response.setContentType(contentType);
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("Cache-Control", "no-cache");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private void page(HttpServletRequest request, HttpServletResponse response, boolean withoutSlash)
			throws IOException {
		// the page is at <context>/<path> or <context>/<path>/; everything else is
		// addressed relative to it
		String[] segments = this.path.substring(1).split("/");
		String assets = withoutSlash ? segments[segments.length - 1] + "/" : "";
		String up = "../".repeat(withoutSlash ? segments.length - 1 : segments.length);
		PathMappedEndpoints endpoints = this.endpoints.get();
		String endpointPath = (endpoints != null) ? endpoints.getPath(ENDPOINT_ID) : null;
		String endpoint = (endpointPath != null) ? up + endpointPath.replaceFirst("^/+", "") : "";
		String csrfHeader = "";
		String csrfToken = "";
		Object csrf = request.getAttribute(CSRF_TOKEN_CLASS);
		if (csrf != null) {
			csrfHeader = invoke(csrf, "getHeaderName");
			csrfToken = invoke(csrf, "getToken");
		}
		String html = this.page.replace("{{assets}}", escape(assets))
			.replace("{{endpoint}}", escape(endpoint))
			.replace("{{csrfHeader}}", escape(csrfHeader))
			.replace("{{csrfToken}}", escape(csrfToken));
		byte[] body = html.getBytes(StandardCharsets.UTF_8);
		response.setContentType("text/html;charset=UTF-8");
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		response.setHeader("Referrer-Policy", "same-origin");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/**
	 * Read a value of Spring Security's {@code CsrfToken} through its interface, without
	 * a dependency on Spring Security. Reading the token makes a deferred one be saved
	 * (session or cookie) before the response is written.
	 */
	private static String invoke(Object csrf, String getter) {
		ClassLoader classLoader = csrf.getClass().getClassLoader();
		Class<?> type = ClassUtils.resolveClassName(CSRF_TOKEN_CLASS, classLoader);
		Method method = ReflectionUtils.findMethod(type, getter);
		Object value = (method != null) ? ReflectionUtils.invokeMethod(method, csrf) : null;
		return (value != null) ? value.toString() : "";
	}

	private static byte[] read(String name) {
		try (InputStream input = EventyConsoleServlet.class.getClassLoader().getResourceAsStream(LOCATION + name)) {
			if (input == null) {
				throw new IllegalStateException("The web console's " + LOCATION + name + " is not on the class path");
			}
			return input.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
