// Contacts linked to a record (a family's members, a company's contacts): each a link to the
// profile, their role there (shown or changed by the caller), first e-mail, since when, and the
// caller's actions.
import type { ReactNode } from "react";
import { Link } from "react-router";

import { useI18n } from "../i18n/i18n";
import { contactName } from "./ContactPicker";
import "./records.css";

interface Linked {
  contact_id: string;
  first_name: string;
  last_name: string;
  emails: string[];
  linked_at: string;
}

interface LinkedContactsProps<C extends Linked> {
  contacts: C[];
  /** Said when there are none. */
  none: string;
  caption: string;
  headers: { name: string; role: string; email: string; since: string; actions: string };
  role: (contact: C, name: string) => ReactNode;
  /** The actions cell; none leaves out the column. */
  actions?: ((contact: C, name: string) => ReactNode) | undefined;
}

export function LinkedContacts<C extends Linked>({
  contacts,
  none,
  caption,
  headers,
  role,
  actions,
}: LinkedContactsProps<C>) {
  const { date } = useI18n();
  if (contacts.length === 0) return <p>{none}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{headers.name}</th>
            <th scope="col">{headers.role}</th>
            <th scope="col">{headers.email}</th>
            <th scope="col">{headers.since}</th>
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">{headers.actions}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {contacts.map((contact) => {
            const name = contactName(contact);
            return (
              <tr key={contact.contact_id}>
                <td>
                  <Link to={`/contacts/${contact.contact_id}`}>{name}</Link>
                </td>
                <td>{role(contact, name)}</td>
                <td>{contact.emails[0] ?? "—"}</td>
                <td>{date(contact.linked_at)}</td>
                {actions ? <td>{actions(contact, name)}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
