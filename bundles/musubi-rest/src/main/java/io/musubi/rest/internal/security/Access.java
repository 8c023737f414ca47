package io.musubi.rest.internal.security;

import io.musubi.rest.Allowed;
import io.musubi.rest.Public;
import io.musubi.rest.Role;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may call a resource method, from {@link Allowed} and {@link Public} on the method or else on its class (the
 * method wins). Neither, or both on the same element, is {@link #CLOSED}: nobody.
 */
record Access(Kind kind, Set<Role> roles) {

    enum Kind { PUBLIC, ROLES, CLOSED }

    static final Access PUBLIC = new Access(Kind.PUBLIC, Set.of());
    static final Access CLOSED = new Access(Kind.CLOSED, Set.of());

    static Access of(Method method, Class<?> resourceClass) {
        if (method == null) {
            return CLOSED;
        }
        Access onMethod = declaredOn(method);
        if (onMethod != null) {
            return onMethod;
        }
        Access onClass = resourceClass == null ? null : declaredOn(resourceClass);
        if (onClass == null && resourceClass != method.getDeclaringClass()) {
            onClass = declaredOn(method.getDeclaringClass());
        }
        return onClass == null ? CLOSED : onClass;
    }

    private static Access declaredOn(AnnotatedElement element) {
        Allowed allowed = element.getAnnotation(Allowed.class);
        boolean open = element.isAnnotationPresent(Public.class);
        if (allowed != null && open) {
            return CLOSED;
        }
        if (open) {
            return PUBLIC;
        }
        if (allowed != null) {
            return allowed.value().length == 0 ? CLOSED
                    : new Access(Kind.ROLES, Set.copyOf(EnumSet.of(allowed.value()[0], allowed.value())));
        }
        return null;
    }

    boolean admits(Caller caller) {
        return switch (kind) {
            case PUBLIC -> true;
            case CLOSED -> false;
            case ROLES -> caller != null && caller.roles().stream().anyMatch(roles::contains);
        };
    }
}
