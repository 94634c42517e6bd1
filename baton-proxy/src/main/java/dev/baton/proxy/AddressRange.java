package dev.baton.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code 192.168.1.5}, {@code fd00::/8}):
 * an entry of {@code router.trusted_proxies}. Only literal addresses: a name would need a DNS
 * lookup, whose answer an attacker may influence.
 */
public record AddressRange(InetAddress network, int prefix) {

    /** Throws IllegalArgumentException, saying what to write instead, for anything else. */
    public static AddressRange parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (!address.matches("[0-9.]+") && !address.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("expected an IP address or a CIDR block such as 10.0.0.0/8 or fd00::/8, got \"" + text + "\"");
        }
        InetAddress network;
        try {
            network = InetAddress.getByName(address); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + address + "\" is not an IP address (as in 10.0.0.0/8 or fd00::/8)");
        }
        int bits = network.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("the prefix length of \"" + text + "\" must be 0 to " + bits);
            }
            prefix = Integer.parseInt(p);
        }
        return new AddressRange(network, prefix);
    }

    public boolean contains(InetAddress a) {
        byte[] net = network.getAddress();
        byte[] addr = a.getAddress();
        if (net.length != addr.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((net[bit / 8] & mask) != (addr[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }
}
