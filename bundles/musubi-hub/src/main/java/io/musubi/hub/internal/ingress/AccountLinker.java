package io.musubi.hub.internal.ingress;

import io.musubi.api.InboundEventListener;
import io.musubi.api.InteractionIntake;
import io.musubi.store.AddressInUseException;
import io.musubi.store.LinkNonceRepository;
import io.musubi.store.UnknownCustomerException;
import io.musubi.identity.IdentityService;
import io.musubi.identity.InvalidAddressException;
import io.musubi.model.Customer;
import io.musubi.model.InboundEvent;
import io.musubi.spi.ConnectorAttributes;

import java.time.Clock;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Account linking on arrival (DESIGN §7.1): an inbound event carrying a nonce the hub issued for a known customer
 * ({@link ConnectorAttributes#LINK_NONCE}, e.g. LINE's account-link event) links the event's address to that customer;
 * when the address belonged to another customer (the one its first contact created), that customer is merged into the
 * known one, so its history follows. The nonce is used once; an unknown, used or expired one links nothing and is
 * only logged. A redelivery of the same event gets the same answer from the nonce store and finds the link in place.
 */
@Component(service = InboundEventListener.class)
public final class AccountLinker implements InboundEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(AccountLinker.class);

    private final IdentityService identity;
    private final LinkNonceRepository nonces;
    private final Clock clock;

    @Activate
    public AccountLinker(@Reference IdentityService identity, @Reference LinkNonceRepository nonces) {
        this(identity, nonces, Clock.systemUTC());
    }

    AccountLinker(IdentityService identity, LinkNonceRepository nonces, Clock clock) {
        this.identity = identity;
        this.nonces = nonces;
        this.clock = clock;
    }

    @Override
    public void onInbound(InboundEvent e) {
        String nonce = e.attributes().get(ConnectorAttributes.LINK_NONCE);
        if (nonce == null || nonce.isBlank() || InteractionIntake.API_SOURCE.equals(e.source())) {
            return;
        }
        Optional<String> target = nonces.use(e.tenantId(), nonce, e.dedupeKey(), clock.instant());
        if (target.isEmpty()) {
            LOG.warn("Account link event {} from {}: the nonce is unknown, used or expired; nothing linked",
                    e.eventId(), e.source());
            return;
        }
        try {
            Optional<Customer> known = identity.find(e.tenantId(), target.get());
            if (known.isEmpty()) {
                LOG.warn("Account link event {} from {}: the customer of the nonce is gone; nothing linked",
                        e.eventId(), e.source());
                return;
            }
            String survivor = known.get().id();
            Optional<Customer> owner = identity.findByAddress(e.tenantId(), e.from());
            if (owner.isEmpty()) {
                identity.link(e.tenantId(), survivor, e.from());
            } else if (!owner.get().id().equals(survivor)) {
                identity.merge(e.tenantId(), survivor, owner.get().id(), "connector:" + e.source());
            }
            LOG.info("Account link event {} from {}: {} linked to customer {}", e.eventId(), e.source(),
                    e.from().masked(), survivor);
        } catch (InvalidAddressException | AddressInUseException | UnknownCustomerException
                 | IllegalStateException e2) {
            // Refusals (an erased customer, a merge the store will not make) are not worth a redelivery.
            LOG.warn("Account link event {} from {}: not linked ({})", e.eventId(), e.source(),
                    e2.getClass().getSimpleName());
        }
    }
}
