/* The verifier's last outcome in ssh(1) 9.2's words (sshconnect.c's
 * check_host_key() and warn_changed_key()), one '\n' per line. */
#include "hostkeys/verifier_internal.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <sshkit/error.h>

typedef struct {
    char *buf;
    size_t cap;
    size_t len;    /* the full length, even past cap */
} text_out;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void say(text_out *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *at = t->len < t->cap ? t->buf + t->len : NULL;
    size_t room = t->len < t->cap ? t->cap - t->len : 0;
    int n = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n;
}

static const char BAR[] = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n";

/* The policies under which ssh's StrictHostKeyChecking is not "no". */
static bool strict(const sshkit_hostkey_outcome *o)
{
    return !o->by_callback && o->policy != SSHKIT_HOSTKEY_POLICY_WARN;
}

/* Where ssh tells the user to put the right key: its first user file. */
static const char *user_file(const sshkit_hostkey_verifier *v)
{
    for (size_t i = 0; i < v->nfiles; i++)
        if (v->files[i].writable)
            return v->files[i].path;
    return v->out.file;
}

static void say_changed(text_out *t, const sshkit_hostkey_verifier *v)
{
    const sshkit_hostkey_outcome *o = &v->out;
    say(t, "%s", BAR);
    say(t, "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n");
    say(t, "%s", BAR);
    say(t, "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n");
    say(t, "Someone could be eavesdropping on you right now (man-in-the-middle attack)!\n");
    say(t, "It is also possible that a host key has just been changed.\n");
    say(t, "The fingerprint for the %s key sent by the remote host is\n%s.\n", o->key_type,
        o->fingerprint);
    say(t, "Please contact your system administrator.\n");
    say(t, "Add correct host key in %s to get rid of this message.\n", user_file(v));
    say(t, "Offending %s key in %s:%zu\n", o->key_type, o->file, o->line);
    say(t, "  remove with:\n");
    say(t, "  ssh-keygen -f \"%s\" -R \"%s\"\n", o->file, o->host);
    if (o->decision == SSHKIT_HOSTKEY_REJECT && strict(o))
        say(t, "Host key for %s has changed and you have requested strict checking.\n",
            o->host);
}

static void say_revoked(text_out *t, const sshkit_hostkey_outcome *o)
{
    say(t, "%s", BAR);
    say(t, "@       WARNING: REVOKED HOST KEY DETECTED!               @\n");
    say(t, "%s", BAR);
    say(t, "The %s host key for %s is marked as revoked.\n", o->key_type, o->host);
    say(t, "This could mean that a stolen key is being used to\n");
    say(t, "impersonate this host.\n");
    if (o->decision == SSHKIT_HOSTKEY_REJECT && strict(o))
        say(t, "%s host key for %s was revoked and you have requested strict checking.\n",
            o->key_type, o->host);
}

static void say_new(text_out *t, const sshkit_hostkey_outcome *o)
{
    if (o->decision == SSHKIT_HOSTKEY_REJECT && strict(o)) {
        say(t, "No %s host key is known for %s and you have requested strict checking.\n",
            o->key_type, o->host);
    } else if (o->decision == SSHKIT_HOSTKEY_ACCEPT_WITH_WARNING) {
        say(t, "Warning: No %s host key is known for %s; it was not verified and not added "
               "to the list of known hosts.\n", o->key_type, o->host);
        say(t, "%s key fingerprint is %s.\n", o->key_type, o->fingerprint);
    }
}

static void say_added(text_out *t, const sshkit_hostkey_outcome *o)
{
    if (o->added)
        say(t, "Warning: Permanently added '%s' (%s) to the list of known hosts.\n", o->host,
            o->key_type);
    else if (o->add_error != 0)
        say(t, "Failed to add the host to the list of known hosts (%s).\n",
            o->add_file ? o->add_file : "none");
}

int sshkit_hostkey_verifier_describe(const sshkit_hostkey_verifier *v, char *buf, size_t cap)
{
    if (v == NULL || (buf == NULL && cap > 0))
        return SSHKIT_E_INVALID_ARGUMENT;
    if (!v->checked)
        return SSHKIT_E_STATE;
    const sshkit_hostkey_outcome *o = &v->out;
    text_out t = { buf, cap, 0 };
    if (cap > 0)
        buf[0] = '\0';
    if (o->error != 0 && o->file != NULL)
        say(&t, "Failed to read the list of known hosts (%s).\n", o->file);
    if (o->error == 0 && o->status == SSHKIT_KH_CHANGED)
        say_changed(&t, v);
    if (o->error == 0 && o->status == SSHKIT_KH_REVOKED)
        say_revoked(&t, o);
    if (o->error == 0 && o->status == SSHKIT_KH_NEW)
        say_new(&t, o);
    if (o->error == 0)
        say_added(&t, o);
    if (o->decision == SSHKIT_HOSTKEY_REJECT)
        say(&t, "Host key verification failed.\n");
    return t.len > (size_t)INT_MAX ? SSHKIT_E_TOO_LARGE : (int)t.len;
}
