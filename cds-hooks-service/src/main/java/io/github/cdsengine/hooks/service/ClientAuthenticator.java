package io.github.cdsengine.hooks.service;

/**
 * Decides whether a request comes from a trusted CDS client (CDS Hooks 2.0, "Trusting CDS
 * Clients"): given the request's {@code Authorization} header and the URL the request was sent
 * to, it names the client or refuses the request.
 */
public interface ClientAuthenticator {

  /**
   * The client that sent the request.
   *
   * @param authorization the {@code Authorization} header, or {@code null} when absent
   * @param audience this service's URL as the client addressed it, the token's expected {@code
   *     aud}
   * @return the client, e.g. the token's issuer
   * @throws Unauthenticated when the request is not from a trusted client; its message says why
   *     without quoting the token
   */
  Client authenticate(String authorization, String audience) throws Unauthenticated;

  /**
   * Whether this authenticator lets unauthenticated requests in (development only).
   *
   * @return true for {@link #development()}
   */
  default boolean allowsUnauthenticated() {
    return false;
  }

  /**
   * An authenticator that lets every request in: for development only, announced loudly at start
   * and on {@code /health}.
   *
   * @return the authenticator
   */
  static ClientAuthenticator development() {
    return new ClientAuthenticator() {
      @Override
      public Client authenticate(String authorization, String audience) {
        return new Client("unauthenticated", "unauthenticated");
      }

      @Override
      public boolean allowsUnauthenticated() {
        return true;
      }
    };
  }

  /**
   * A client that was let in.
   *
   * @param issuer the token's {@code iss}: the client's identity
   * @param subject the token's {@code sub}
   */
  record Client(String issuer, String subject) {}

  /** A request that is not from a trusted client: answered 401 and never evaluated. */
  final class Unauthenticated extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * A refusal saying why.
     *
     * @param reason why, without the token's content
     */
    public Unauthenticated(String reason) {
      super(reason);
    }
  }
}
