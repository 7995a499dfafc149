// Builds CarerTrack's front-end into static/dist (git-ignored): our Sass on top of GOV.UK Frontend,
// GOV.UK Frontend's JavaScript module and its images. Run by `make assets`; never commit the output.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as sass from 'sass'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const dist = join(here, 'dist')

rmSync(dist, { recursive: true, force: true })
mkdirSync(join(dist, 'govuk'), { recursive: true })

const result = sass.compile(join(here, 'src', 'app.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
  silenceDeprecations: ['import']
})
writeFileSync(join(dist, 'app.css'), result.css)

cpSync(join(govuk, 'govuk-frontend.min.js'), join(dist, 'govuk', 'govuk-frontend.min.js'))
cpSync(join(govuk, 'assets', 'images'), join(dist, 'govuk', 'assets', 'images'), { recursive: true })
cpSync(join(govuk, 'assets', 'manifest.json'), join(dist, 'govuk', 'assets', 'manifest.json'))
for (const file of ['app.js', 'js-enabled.js', 'favicon.svg']) {
  cpSync(join(here, 'src', file), join(dist, file))
}
console.log('Built static/dist')
