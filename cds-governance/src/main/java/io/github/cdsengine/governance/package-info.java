/**
 * Alert governance: clinicians' feedback on cards ({@link
 * io.github.cdsengine.governance.FeedbackEvent}) kept durably in a {@link
 * io.github.cdsengine.governance.FeedbackStore}, with patients and users only as keyed hashes.
 */
package io.github.cdsengine.governance;
