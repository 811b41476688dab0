/* demo_server: the seed's demo server in C. Listens on port 2200 (or -p),
 * lets in user "robey" with password "foo" (or the public key given with
 * -k), and pretends to be a bulletin board: a greeting, a name asked for
 * and judged, then goodbye. One client at a time, as the original.
 *
 *   demo_server [-p port] [-k authorized_key.pub] [-h host_key]
 * Without -h it makes a new Ed25519 host key each run and prints its
 * fingerprint. Try it: ssh -p 2200 robey@127.0.0.1  (password: foo) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sshkit.h>

static sshkit_key *allowed_key;

static sshkit_auth_decision check_password(void *user, const char *name, const char *password)
{
    (void)user;
    return strcmp(name, "robey") == 0 && strcmp(password, "foo") == 0 ? SSHKIT_AUTH_ACCEPT
                                                                      : SSHKIT_AUTH_REJECT;
}

static sshkit_auth_decision check_key(void *user, const char *name, const sshkit_key *key)
{
    (void)user;
    return strcmp(name, "robey") == 0 && allowed_key && sshkit_key_equal(key, allowed_key)
               ? SSHKIT_AUTH_ACCEPT : SSHKIT_AUTH_REJECT;
}

/* Waits for the next event; NULL-typed on error or disconnect. */
static int next(sshkit_session *s, int fd, sshkit_event *ev)
{
    int rc = sshkit_blocking_wait_event(s, fd, ev, 60000);
    return rc < 0 || ev->type == SSHKIT_EVENT_DISCONNECTED ? -1 : 0;
}

static void say(sshkit_session *s, int fd, sshkit_channel *ch, const char *text)
{
    size_t len = strlen(text), off = 0;
    while (off < len) {
        int n = sshkit_channel_write(ch, 0, text + off, len - off);
        if (n > 0)
            off += (size_t)n;
        sshkit_event ev;
        if (n <= 0 && next(s, fd, &ev) != 0)
            return;
    }
    sshkit_blocking_flush(s, fd, 10000);
}

/* Reads a line the user types (echoing it, as a pty in raw mode needs). */
static void ask(sshkit_session *s, int fd, sshkit_channel *ch, char *line, size_t cap)
{
    size_t n = 0;
    line[0] = '\0';
    while (n + 1 < cap) {
        char c;
        int got = sshkit_channel_read(ch, 0, &c, 1);
        sshkit_event ev;
        if (got == SSHKIT_E_AGAIN && next(s, fd, &ev) == 0)
            continue;
        if (got <= 0 || c == '\r' || c == '\n')
            break;
        line[n++] = c;
        sshkit_channel_write(ch, 0, &c, 1);
    }
    line[n] = '\0';
    say(s, fd, ch, "\r\n");
}

static void bbs(sshkit_session *s, int fd, sshkit_channel *ch)
{
    char name[64];
    say(s, fd, ch, "\r\n\r\n*** Welcome to the sshkit bulletin board ***\r\n\r\n");
    say(s, fd, ch, "Today's news: the coffee machine works again.\r\n");
    say(s, fd, ch, "Happy birthday to Robot Dave!\r\n\r\n");
    say(s, fd, ch, "Username: ");
    ask(s, fd, ch, name, sizeof name);
    say(s, fd, ch, "I don't like you, ");
    say(s, fd, ch, name);
    say(s, fd, ch, ".\r\n");
    sshkit_channel_send_exit_status(ch, 0);
    sshkit_channel_close(ch);
    /* Let the visitor close its side (and print what it got) before we hang up. */
    sshkit_event ev;
    while (next(s, fd, &ev) == 0 && ev.type != SSHKIT_EVENT_CHANNEL_CLOSED)
        continue;
}

/* Accepts one session channel and waits for its shell (or exec) request. */
static void serve(sshkit_session *s, int fd)
{
    sshkit_event ev;
    while (next(s, fd, &ev) == 0) {
        if (ev.type == SSHKIT_EVENT_CHANNEL_OPEN_REQUEST) {
            if (strcmp(ev.u.channel.type, "session") == 0)
                sshkit_channel_accept(ev.u.channel.channel);
            else
                sshkit_channel_reject(ev.u.channel.channel, SSHKIT_OPEN_UNKNOWN_CHANNEL_TYPE, NULL);
        } else if (ev.type == SSHKIT_EVENT_CHANNEL_REQUEST) {
            sshkit_channel *ch = ev.u.request.channel;
            bool start = strcmp(ev.u.request.type, "shell") == 0 ||
                         strcmp(ev.u.request.type, "exec") == 0;
            bool ok = start || strcmp(ev.u.request.type, "pty-req") == 0;
            if (ev.u.request.want_reply)
                sshkit_channel_request_reply(ch, ok);
            if (start) {
                bbs(s, fd, ch);
                return;
            }
        }
    }
}

int main(int argc, char **argv)
{
    unsigned port = 2200;
    const char *host_key_path = NULL;
    int c;
    while ((c = getopt(argc, argv, "p:k:h:")) != -1) {
        if (c == 'p')
            port = (unsigned)atoi(optarg);
        else if (c == 'k' && sshkit_key_load_public(optarg, &allowed_key) != 0)
            return fprintf(stderr, "cannot read %s\n", optarg), 1;
        else if (c == 'h')
            host_key_path = optarg;
        else if (c != 'k')
            return fprintf(stderr, "usage: demo_server [-p port] [-k key.pub] [-h host_key]\n"), 2;
    }
    sshkit_key *host_key;
    int rc = host_key_path ? sshkit_key_load_private(host_key_path, NULL, &host_key)
                           : sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &host_key);
    char *fp = NULL;
    if (rc || sshkit_key_fingerprint(host_key, SSHKIT_FP_SHA256, &fp) != 0)
        return fprintf(stderr, "no host key: %s\n", sshkit_strerror(rc)), 1;
    int lfd;
    if (sshkit_listen("127.0.0.1", port, 8, &lfd) != 0)
        return perror("listen"), 1;
    printf("Listening on 127.0.0.1 port %d; host key %s\n", sshkit_local_port(lfd), fp);
    fflush(stdout);
    sshkit_free(fp, 0);
    sshkit_server_auth auth = { .password = check_password, .publickey = check_key };
    const sshkit_key *keys[] = { host_key };
    for (;;) {
        int fd;
        if (sshkit_accept(lfd, &fd, SSHKIT_IO_NO_TIMEOUT) != 0)
            continue;
        sshkit_session *s;
        if (sshkit_server_session_new(keys, 1, &auth, &s) == 0) {
            if (sshkit_blocking_handshake(s, fd, 30000) == 0)
                serve(s, fd);
            sshkit_blocking_disconnect(s, fd, 11, "goodbye", 5000);
            sshkit_session_free(s);
        }
        close(fd);
    }
}
