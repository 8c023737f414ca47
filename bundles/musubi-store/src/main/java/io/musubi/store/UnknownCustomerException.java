package io.musubi.store;

/** The customer id names no customer of that tenant. */
public class UnknownCustomerException extends HistoryException {

    private static final long serialVersionUID = 1L;

    private final String customerId;

    public UnknownCustomerException(String tenantId, String customerId) {
        super("no customer " + customerId + " in tenant " + tenantId);
        this.customerId = customerId;
    }

    public String customerId() {
        return customerId;
    }
}
