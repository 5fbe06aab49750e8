package io.github.cdsengine.hooks.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The client's FHIR server and the bearer token it gave the service for it, as a CDS Hooks
 * request's {@code fhirServer} and {@code fhirAuthorization} give them. The token is never
 * written out: {@link #toString()} hides it, and it goes only in the {@code Authorization} header
 * of a request to {@link #server()} or below it.
 *
 * @param server the FHIR server's base URL, {@code http} or {@code https}, without a trailing
 *     slash
 * @param token the access token
 */
record FhirAccess(URI server, String token) {

  /** RFC 6750's characters of a bearer token: never a space, quote or line break. */
  private static final Pattern BEARER = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  FhirAccess {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(token, "token");
  }

  /** Why the service cannot fetch for a request, said to the client in a 412 answer. */
  static final class Refused extends Exception {

    private static final long serialVersionUID = 1L;

    Refused(String reason) {
      super(reason);
    }
  }

  /**
   * The access a request gives.
   *
   * @param request the request's JSON as posted
   * @throws Refused saying what is missing or unusable: no {@code fhirServer}, no {@code
   *     fhirAuthorization}, a server URL that is not {@code http} or {@code https}, a token type
   *     other than {@code Bearer}, a token that is not a bearer token's characters
   */
  static FhirAccess of(JsonNode request) throws Refused {
    JsonNode server = request.path("fhirServer");
    JsonNode authorization = request.path("fhirAuthorization");
    boolean hasServer = server.isTextual() && !server.asText().isBlank();
    boolean hasAuthorization = authorization.isObject();
    if (!hasServer && !hasAuthorization) {
      throw new Refused("the request has neither fhirServer nor fhirAuthorization, so the "
          + "service cannot fetch it");
    }
    if (!hasServer) {
      throw new Refused("the request has fhirAuthorization but no fhirServer to fetch from");
    }
    if (!hasAuthorization) {
      throw new Refused("the request has fhirServer but no fhirAuthorization: the service "
          + "fetches only with an access token the client gives it");
    }
    URI base = base(server.asText());
    JsonNode type = authorization.path("token_type");
    if (!type.isMissingNode() && !"bearer".equals(type.asText().toLowerCase(Locale.ROOT))) {
      throw new Refused("fhirAuthorization.token_type is not Bearer");
    }
    JsonNode token = authorization.path("access_token");
    if (!token.isTextual() || token.asText().isBlank()) {
      throw new Refused("fhirAuthorization has no access_token");
    }
    if (!BEARER.matcher(token.asText()).matches()) {
      throw new Refused("fhirAuthorization.access_token holds characters a bearer token "
          + "cannot (RFC 6750)");
    }
    return new FhirAccess(base, token.asText());
  }

  /** {@code fhirServer} as a base URL: absolute, http or https, a host, no query or fragment. */
  private static URI base(String text) throws Refused {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new Refused("fhirServer is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("fhirServer is not an http or https URL");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new Refused("fhirServer must be a base URL: a host, no user, query or fragment");
    }
    String path = uri.normalize().getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.contains("/../") || path.endsWith("/..")) {
      throw new Refused("fhirServer must be a base URL without '..' steps");
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  /**
   * The URL of a relative FHIR request ({@code Condition?patient=123}) on this server.
   *
   * @throws IllegalArgumentException if the request leaves the server's base (a {@code ..} step)
   */
  URI resolve(String relative) {
    URI uri = URI.create(server + "/" + encodeIllegal(relative)).normalize();
    if (!serves(uri)) {
      throw new IllegalArgumentException("the query leaves fhirServer");
    }
    return uri;
  }

  /**
   * Whether {@code uri} is on this FHIR server: the same origin (scheme, host and port) and a
   * path at or below the server's base. The token goes nowhere else.
   */
  boolean serves(URI uri) {
    if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
      return false;
    }
    if (!uri.getScheme().equalsIgnoreCase(server.getScheme())
        || !uri.getHost().equalsIgnoreCase(server.getHost())
        || port(uri) != port(server)) {
      return false;
    }
    String path = uri.normalize().getRawPath();
    String base = server.getRawPath();
    return path.equals(base) || path.startsWith(base + "/") || base.isEmpty() && path.isEmpty();
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** Percent-encodes what a URI may not hold as it is (a space, {@code |}, brackets...). */
  private static String encodeIllegal(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      boolean escaped = c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1))
          && isHex(text.charAt(i + 2));
      if (escaped || c < 128 && (Character.isLetterOrDigit(c)
          || "-._~:/?@!$&'()*+,;=".indexOf(c) >= 0)) {
        out.appendCodePoint(c);
      } else {
        for (byte b : Character.toString(c).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  @Override
  public String toString() {
    return "FhirAccess[server=" + server + ", token=(hidden)]";
  }
}
