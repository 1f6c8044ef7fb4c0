// A new contact: the form, saved with POST; the API's field errors shown at the fields.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";

import { api, unwrap } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { Page } from "../../ui/Page";
import { refreshContact } from "./contactApi";
import { ContactForm } from "./ContactForm";
import { createBody, EMPTY_FORM, type ContactFormValues } from "./contactForm";
import "./contacts.css";

export default function ContactCreatePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<ContactFormValues>(EMPTY_FORM);
  const create = useMutation({
    mutationFn: (form: ContactFormValues) =>
      unwrap(api.POST("/api/v1/contacts/contacts", { body: createBody(form) })),
    onSuccess: async (contact) => {
      await refreshContact(queryClient);
      void navigate(`/contacts/${contact.id}`);
    },
  });
  return (
    <Page title={t("contacts.create.title")}>
      <ContactForm
        values={values}
        onChange={setValues}
        onSubmit={() => create.mutate(values)}
        error={create.error}
        busy={create.isPending}
        cancelTo="/contacts"
      />
    </Page>
  );
}
