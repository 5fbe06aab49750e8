package io.github.cdsengine.core.engine;

/**
 * A name rules use for a value set, bound to its URL by a pack or the host.
 *
 * @param url the value set's canonical URL
 * @param source where the binding was made, named in the problem when the URL is not loaded
 */
public record NameBinding(String url, String source) {}
