export default function Home() {
  return <main className="p-8 text-xl">codingit Next.js sandbox: replace pages/index.tsx.</main>;
}
