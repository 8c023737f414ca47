package io.musubi.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A recorded merge of one customer into another. A merge is undone by splitting it
 * ({@link CustomerRepository#split}); the record stays, with the time and actor of the split.
 *
 * @param id         merge id, the handle for a split
 * @param tenantId   tenant
 * @param survivorId the customer that absorbed the other
 * @param mergedId   the customer that was merged (its addresses, tags, references and events now show
 *                   under the survivor)
 * @param mergedAt   when
 * @param mergedBy   who: {@code agent:<id>}, {@code crm}, {@code system}, ...
 * @param splitAt    when it was split again, or null while in force
 * @param splitBy    who split it, or null while in force
 */
public record MergeRecord(String id, String tenantId, String survivorId, String mergedId, Instant mergedAt,
                          String mergedBy, Instant splitAt, String splitBy) {

    public MergeRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(survivorId, "survivorId");
        Objects.requireNonNull(mergedId, "mergedId");
        Objects.requireNonNull(mergedAt, "mergedAt");
        Objects.requireNonNull(mergedBy, "mergedBy");
    }

    /** True while the merge has not been split. */
    public boolean inForce() {
        return splitAt == null;
    }

    public Optional<Instant> splitAtIfAny() {
        return Optional.ofNullable(splitAt);
    }
}
