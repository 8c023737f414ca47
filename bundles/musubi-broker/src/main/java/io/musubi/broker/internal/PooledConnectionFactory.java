package io.musubi.broker.internal;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;

import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/** The {@code ConnectionFactory} service the hub uses: a thin face over the connection pool. */
final class PooledConnectionFactory implements ConnectionFactory {

    private final JmsPoolConnectionFactory pool;
    private final String endpoint;

    PooledConnectionFactory(JmsPoolConnectionFactory pool, String endpoint) {
        this.pool = pool;
        this.endpoint = endpoint;
    }

    @Override
    public Connection createConnection() throws JMSException {
        return pool.createConnection();
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return pool.createConnection(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return pool.createContext();
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return pool.createContext(userName, password);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return pool.createContext(userName, password, sessionMode);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return pool.createContext(sessionMode);
    }

    @Override
    public String toString() {
        return "PooledConnectionFactory[amqp://" + endpoint + "]";
    }
}
