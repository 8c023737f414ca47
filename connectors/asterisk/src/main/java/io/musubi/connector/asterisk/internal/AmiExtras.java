package io.musubi.connector.asterisk.internal;

import org.asteriskjava.manager.AsteriskMapping;
import org.asteriskjava.manager.action.AbstractManagerAction;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.event.ResponseEvent;

/** AMI actions and events Asterisk 22 has and Asterisk-Java 3.42.2 lacks. */
final class AmiExtras {

    private AmiExtras() {
    }

    /** {@code Action: DeviceStateList}: every device's state as DeviceStateChange events, then the complete event. */
    public static final class DeviceStateListAction extends AbstractManagerAction implements EventGeneratingAction {
        private static final long serialVersionUID = 1L;

        @Override
        public String getAction() {
            return "DeviceStateList";
        }

        @Override
        public Class<? extends ResponseEvent> getActionCompleteEventClass() {
            return DeviceStateListCompleteEvent.class;
        }
    }

    /** {@code Event: DeviceStateListComplete} (the library drops it, so a DeviceStateList would never complete). */
    @AsteriskMapping("DeviceStateListComplete")
    public static final class DeviceStateListCompleteEvent extends ResponseEvent {
        private static final long serialVersionUID = 1L;
        private String eventList;
        private Integer listItems;

        public DeviceStateListCompleteEvent(Object source) {
            super(source);
        }

        public String getEventList() {
            return eventList;
        }

        public void setEventList(String eventList) {
            this.eventList = eventList;
        }

        public Integer getListItems() {
            return listItems;
        }

        public void setListItems(Integer listItems) {
            this.listItems = listItems;
        }
    }
}
