// One section of the aggregated profile: its data when its service answered, "unavailable"
// when it did not (the rest of the page keeps working).
import type { ReactNode } from "react";

import { Unavailable } from "../../../ui/Page";
import type { Section } from "./profileApi";

interface SectionBodyProps<Data> {
  section: Section<Data>;
  what: string;
  children: (data: Data) => ReactNode;
}

export function SectionBody<Data>({ section, what, children }: SectionBodyProps<Data>) {
  if (section.status !== "ok" || section.data == null) return <Unavailable what={what} />;
  return <>{children(section.data)}</>;
}

/** A not-permitted section is hidden altogether, with its tab. */
export function isShown(section: Section<unknown>): boolean {
  return section.status !== "not_permitted";
}
