package io.musubi.connector.asterisk.internal;

import java.util.List;

import org.asteriskjava.manager.AsteriskMapping;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.UserEvent;

/**
 * The UserEvents the integrator's dialplan sends to the hub (docs/connectors/asterisk.md). Asterisk-Java drops a
 * UserEvent it has no registered class for, so the connector registers these on every connection.
 *
 * <p>The library keeps a header that occurs twice as both values joined with {@code '\n'} in wire order: a UserEvent
 * carries the channel's {@code CallerIDNum} and then the one the dialplan wrote; {@link #lastValue} takes the latter.
 */
public final class HubUserEvents {

    /** Every class to register. */
    static final List<Class<? extends ManagerEvent>> ALL = List.of(HubInboundEvent.class, HubIvrChoiceEvent.class);

    private HubUserEvents() {
    }

    /** The last of the values the library joined with {@code '\n'}, trimmed; null for null. */
    static String lastValue(String joined) {
        if (joined == null) {
            return null;
        }
        String[] parts = joined.split("\n");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isBlank()) {
                return parts[i].trim();
            }
        }
        return "";
    }

    /** The channel snapshot fields every UserEvent carries that {@link UserEvent} itself lacks. */
    public abstract static class HubEvent extends UserEvent {
        private static final long serialVersionUID = 1L;
        private String linkedid;
        private String hubCall;
        private String language;
        private String accountCode;

        protected HubEvent(Object source) {
            super(source);
        }

        public String getLinkedid() {
            return linkedid;
        }

        public void setLinkedid(String linkedid) {
            this.linkedid = linkedid;
        }

        /** {@code HubCall: ${HUB_CALL}}: the Uniqueid of the customer's channel that entered the hub's dialplan. */
        public String getHubCall() {
            return hubCall;
        }

        public void setHubCall(String hubCall) {
            this.hubCall = hubCall;
        }

        public String getLanguage() {
            return language;
        }

        public void setLanguage(String language) {
            this.language = language;
        }

        public String getAccountCode() {
            return accountCode;
        }

        public void setAccountCode(String accountCode) {
            this.accountCode = accountCode;
        }

        @Override
        public String toString() {
            // the library's toString prints every property, caller numbers included
            return getClass().getSimpleName() + "[uniqueId=" + getUniqueId() + "]";
        }
    }

    /**
     * {@code UserEvent(HubInbound,Queue: <musubi queue>,CallerIDNum: ${CALLERID(num)},HubCall: ${HUB_CALL})}: a call
     * waits in the holding place for the hub to route it. Optional headers: {@code DNIS}, {@code Priority} is the
     * dialplan priority (channel snapshot), so the interaction's priority is {@code HubPriority}.
     */
    @AsteriskMapping("HubInbound")
    public static class HubInboundEvent extends HubEvent {
        private static final long serialVersionUID = 1L;
        private String queue;
        private String dnis;
        private String hubPriority;
        private String vip;

        public HubInboundEvent(Object source) {
            super(source);
        }

        public String getQueue() {
            return queue;
        }

        public void setQueue(String queue) {
            this.queue = queue;
        }

        public String getDnis() {
            return dnis;
        }

        public void setDnis(String dnis) {
            this.dnis = dnis;
        }

        public String getHubPriority() {
            return hubPriority;
        }

        public void setHubPriority(String hubPriority) {
            this.hubPriority = hubPriority;
        }

        public String getVip() {
            return vip;
        }

        public void setVip(String vip) {
            this.vip = vip;
        }
    }

    /** {@code UserEvent(HubIvrChoice,Choice: ${IVR_CHOICE},CallerIDNum: ...,HubCall: ${HUB_CALL})}: the caller's IVR choice. */
    @AsteriskMapping("HubIvrChoice")
    public static class HubIvrChoiceEvent extends HubEvent {
        private static final long serialVersionUID = 1L;
        private String choice;

        public HubIvrChoiceEvent(Object source) {
            super(source);
        }

        public String getChoice() {
            return choice;
        }

        public void setChoice(String choice) {
            this.choice = choice;
        }
    }
}
