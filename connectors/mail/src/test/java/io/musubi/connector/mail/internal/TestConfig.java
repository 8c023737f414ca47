package io.musubi.connector.mail.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link MailConnectorConfiguration} as ConfigAdmin would give it: the given values, else the defaults. */
final class TestConfig {

    private final Map<String, Object> values = new HashMap<>();

    TestConfig set(String name, Object value) {
        values.put(name, value);
        return this;
    }

    MailConnectorConfiguration build() {
        Map<String, Object> v = new HashMap<>(values);
        return (MailConnectorConfiguration) Proxy.newProxyInstance(TestConfig.class.getClassLoader(),
                new Class<?>[] {MailConnectorConfiguration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return MailConnectorConfiguration.class;
                    }
                    if (method.getName().equals("toString")) {
                        return "TestConfig" + v.keySet();
                    }
                    if (method.getName().equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    if (method.getName().equals("equals")) {
                        return proxy == args[0];
                    }
                    Object value = v.containsKey(method.getName()) ? v.get(method.getName()) : method.getDefaultValue();
                    if (value == null) {
                        throw new IllegalStateException("no value for " + method.getName());
                    }
                    return value;
                });
    }
}
