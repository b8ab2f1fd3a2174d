package io.umqtt.test;

/**
 * How a test broker is set up.
 *
 * @param username user name clients must present; {@code null} allows anonymous clients
 * @param password password for {@code username}
 * @param tls whether to open a TLS listener beside the plain one, with a CA, server and
 * client certificate generated for the test
 * @param requireClientCertificate whether the TLS listener demands a client certificate
 * (mutual TLS)
 */
public record BrokerOptions(String username, String password, boolean tls, boolean requireClientCertificate) {

	/** Anonymous access, no TLS. */
	public static final BrokerOptions DEFAULTS = new BrokerOptions(null, null, false, false);

	public BrokerOptions {
		if (username != null && username.isEmpty()) {
			username = null;
		}
		if (username == null && password != null && !password.isEmpty()) {
			throw new IllegalArgumentException("A broker password needs a user name");
		}
		if (requireClientCertificate && !tls) {
			throw new IllegalArgumentException("requireClientCertificate needs tls");
		}
	}

	public boolean authenticated() {
		return this.username != null;
	}

	static BrokerOptions from(MqttBrokerTest annotation) {
		return new BrokerOptions(annotation.username(), annotation.password(), annotation.tls(),
				annotation.requireClientCertificate());
	}

	@Override
	public String toString() {
		return "BrokerOptions[username=" + this.username + ", password=" + ((this.password != null) ? "******" : null)
				+ ", tls=" + this.tls + ", requireClientCertificate=" + this.requireClientCertificate + "]";
	}

}
