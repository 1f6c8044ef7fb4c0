// Images the API serves behind the Authorization header (a company's logo, a resource's QR code)
// cannot be an <img src> to the API: they are fetched through the session and shown as blob URLs,
// each revoked when no longer shown. Also used by the resources screens.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { apiFetch } from "../../api/client";

/** A blob URL for the blob or file while it is shown. */
export function useObjectUrl(blob: Blob | null | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) {
      setUrl(undefined);
      return;
    }
    const created = URL.createObjectURL(blob);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [blob]);
  return url;
}

/** The image at an API path, fetched through the session; `key` names its content. */
export function useAuthorizedImage(path: string, key: readonly unknown[], enabled = true) {
  const image = useQuery({
    queryKey: key,
    queryFn: async ({ signal }) =>
      (await apiFetch(path, { signal, cache: "no-cache" })).blob(),
    enabled,
    staleTime: Infinity,
  });
  return { ...image, url: useObjectUrl(enabled ? image.data : undefined) };
}
