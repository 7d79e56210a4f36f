package org.opforge.api.data;

/** What a read does when it meets NaN or infinite values. */
public enum NonFinitePolicy {
    /** Every read counts NaN and +-Inf values and throws {@link DataFormatException} with the counts. */
    REJECT,
    /** Values are passed on unchecked (statistics still count them). */
    ALLOW
}
