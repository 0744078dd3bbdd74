// Reads a posted form. A body that is not a well-formed form (a broken multipart post, say) is
// the sender's mistake: it gets a 400 that says so, not a 500.
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("The form could not be read: the request body is not a well-formed form.", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
