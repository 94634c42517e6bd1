package dev.baton.deploy.ssh;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * Keys held by ssh-agent, over its Unix socket ({@code SSH_AUTH_SOCK}): the agent protocol's
 * list-identities and sign requests, and a publickey auth method per key whose signature the
 * agent makes, so the private key never leaves the agent.
 */
final class SshAgent {
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    private static final int RSA_SHA2_256 = 2;

    private final Path socket;

    SshAgent(Path socket) {
        this.socket = socket;
    }

    /** One auth method per key the agent holds (none when it holds none). */
    List<AuthMethod> methods() throws IOException {
        Buffer.PlainBuffer answer = request(new Buffer.PlainBuffer().putByte(REQUEST_IDENTITIES));
        try {
            if (answer.readByte() != IDENTITIES_ANSWER) {
                throw new IOException("ssh-agent refused to list its keys");
            }
            long n = answer.readUInt32();
            List<AuthMethod> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                byte[] blob = answer.readBytes();
                answer.readString(); // comment
                out.add(new AgentKey(blob));
            }
            return out;
        } catch (Buffer.BufferException e) {
            throw new IOException("unexpected answer from ssh-agent: " + e.getMessage(), e);
        }
    }

    /** The agent's signature of {@code data} with the key {@code blob}: string algorithm, string signature. */
    byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
        Buffer.PlainBuffer answer = request(new Buffer.PlainBuffer().putByte(SIGN_REQUEST).putBytes(blob).putBytes(data)
                .putUInt32(flags));
        try {
            if (answer.readByte() != SIGN_RESPONSE) {
                throw new IOException("ssh-agent refused to sign");
            }
            return answer.readBytes();
        } catch (Buffer.BufferException e) {
            throw new IOException("unexpected answer from ssh-agent: " + e.getMessage(), e);
        }
    }

    private Buffer.PlainBuffer request(Buffer.PlainBuffer message) throws IOException {
        byte[] body = message.getCompactData();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer len = read(ch, 4);
            int size = len.getInt();
            if (size <= 0 || size > 256 * 1024) {
                throw new IOException("unexpected answer length " + size + " from ssh-agent");
            }
            return new Buffer.PlainBuffer(read(ch, size).array());
        }
    }

    private static ByteBuffer read(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("ssh-agent closed the connection");
            }
        }
        return b.flip();
    }

    /** publickey authentication with one of the agent's keys, signed by the agent. */
    final class AgentKey extends AbstractAuthMethod {
        private final byte[] blob;

        AgentKey(byte[] blob) {
            super("publickey");
            this.blob = blob;
        }

        @Override
        protected SSHPacket buildReq() throws UserAuthException {
            String keyType;
            try {
                keyType = new Buffer.PlainBuffer(blob).readString();
            } catch (Buffer.BufferException e) {
                throw new UserAuthException("ssh-agent gave a malformed key", e);
            }
            // RSA keys sign with SHA-256, as OpenSSH servers require; others as their type says
            boolean rsa = keyType.equals("ssh-rsa");
            String algorithm = rsa ? "rsa-sha2-256" : keyType;
            SSHPacket req = super.buildReq().putBoolean(true).putString(algorithm).putBytes(blob);
            byte[] data = new Buffer.PlainBuffer().putString(params.getTransport().getSessionID()).putBuffer(req).getCompactData();
            try {
                return req.putBytes(sign(blob, data, rsa ? RSA_SHA2_256 : 0));
            } catch (IOException e) {
                throw new UserAuthException("ssh-agent could not sign: " + e.getMessage(), e);
            }
        }
    }
}
