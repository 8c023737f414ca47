package io.musubi.store;

/**
 * The address is already linked to another customer. Linking it elsewhere would make resolution ambiguous:
 * merge the two customers instead, or unlink it first. The message names the owner, never the address.
 */
public class AddressInUseException extends HistoryException {

    private static final long serialVersionUID = 1L;

    private final String ownerCustomerId;

    public AddressInUseException(String ownerCustomerId) {
        super("address already linked to customer " + ownerCustomerId);
        this.ownerCustomerId = ownerCustomerId;
    }

    /** The customer (the survivor of its merge group) the address belongs to. */
    public String ownerCustomerId() {
        return ownerCustomerId;
    }
}
