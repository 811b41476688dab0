/* ssh's messages about a host key; see hostkey_text.h. */
#include "hostkey_text.h"

#include "ssh.h"

#define BAR "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"

static void changed(const struct hostkey_facts *f, bool refused)
{
    log_at(SSH_LOG_ERROR, BAR);
    log_at(SSH_LOG_ERROR, "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @");
    log_at(SSH_LOG_ERROR, BAR);
    log_at(SSH_LOG_ERROR, "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!");
    log_at(SSH_LOG_ERROR,
           "Someone could be eavesdropping on you right now (man-in-the-middle attack)!");
    log_at(SSH_LOG_ERROR, "It is also possible that a host key has just been changed.");
    log_at(SSH_LOG_ERROR, "The fingerprint for the %s key sent by the remote host is\n%s.",
           f->key_type, f->fingerprint);
    log_at(SSH_LOG_ERROR, "Please contact your system administrator.");
    log_at(SSH_LOG_ERROR, "Add correct host key in %s to get rid of this message.", f->user_file);
    log_at(SSH_LOG_ERROR, "Offending %s key in %s:%zu", f->key_type, f->file, f->line);
    log_at(SSH_LOG_ERROR, "  remove with:");
    log_at(SSH_LOG_ERROR, "  ssh-keygen -f \"%s\" -R \"%s\"", f->file, f->host);
    if (refused && f->policy_strict)
        log_at(SSH_LOG_ERROR, "Host key for %s has changed and you have requested strict checking.",
               f->host);
    if (!refused) {
        log_at(SSH_LOG_ERROR,
               "Password authentication is disabled to avoid man-in-the-middle attacks.");
        log_at(SSH_LOG_ERROR, "Keyboard-interactive authentication is disabled to avoid "
                              "man-in-the-middle attacks.");
    }
}

static void revoked(const struct hostkey_facts *f)
{
    log_at(SSH_LOG_ERROR, BAR);
    log_at(SSH_LOG_ERROR, "@       WARNING: REVOKED HOST KEY DETECTED!               @");
    log_at(SSH_LOG_ERROR, BAR);
    log_at(SSH_LOG_ERROR, "The %s host key for %s is marked as revoked.", f->key_type, f->host);
    log_at(SSH_LOG_ERROR, "This could mean that a stolen key is being used to");
    log_at(SSH_LOG_ERROR, "impersonate this host.");
    if (f->policy_strict)
        log_at(SSH_LOG_ERROR, "%s host key for %s was revoked and you have requested strict "
                              "checking.", f->key_type, f->host);
}

void hostkey_text_print(const struct hostkey_facts *f)
{
    bool refused = f->decision == SSHKIT_HOSTKEY_REJECT;
    switch (f->status) {
    case SSHKIT_KH_OK:
        log_at(SSH_LOG_DEBUG1, "Host '%s' is known and matches the %s host key.", f->host,
               f->key_type);
        log_at(SSH_LOG_DEBUG1, "Found key in %s:%zu", f->file, f->line);
        break;
    case SSHKIT_KH_CHANGED: changed(f, refused); break;
    case SSHKIT_KH_REVOKED: revoked(f); break;
    case SSHKIT_KH_NEW:
    default:
        if (refused && f->policy_strict)
            log_at(SSH_LOG_ERROR, "No %s host key is known for %s and you have requested "
                                  "strict checking.", f->key_type, f->host);
        break;
    }
    if (f->added)
        log_at(SSH_LOG_INFO, "Warning: Permanently added '%s' (%s) to the list of known hosts.",
               f->host, f->key_type);
    else if (f->add_file)
        log_at(SSH_LOG_ERROR, "Failed to add the host to the list of known hosts (%s).",
               f->add_file);
    if (refused)
        log_at(SSH_LOG_FATAL, "Host key verification failed.");
}
